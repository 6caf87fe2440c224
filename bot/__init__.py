"""Slack layer: renders what index/ answers."""
