"""Every write about lodging reports goes through these services, which audit it."""
