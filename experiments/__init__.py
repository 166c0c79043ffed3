"""A/B experiments: assignment, events, statistics, the offline arm, a simulator.

survey -> matching -> prediction -> ranking -> platforms, with every set built under
one variant of the running experiment, and what users then do recorded as events.
"""
