"""The one definition of the data: typed tables with their descriptions, and what is made from them."""
