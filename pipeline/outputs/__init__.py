"""What the release is made of and how it is published, checked and served."""
