"""Split by feature: feedback, ideas, metrics, public pages, API."""
