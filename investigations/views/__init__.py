"""Split by feature: interviews, participants, insights (and scenarios), committee."""
