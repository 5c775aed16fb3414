"""Entities out of article text: the model's spans, the gazetteer, places, quotes and the rules."""
