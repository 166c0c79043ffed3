"""A plan for the coming months: which services to have, what to watch, the savings."""
