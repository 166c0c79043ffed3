"""Clients of outside availability sources (TMDB watch providers, Google CSE)."""
