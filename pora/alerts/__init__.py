"""Alerts: what a detection rule of any area found, once per subject, in the office's queue.

Below the areas that detect (lodging's reporting rules, screening's confirmed hits, and
the tips and cases to come): each registers its rules in :mod:`.rules` from its
``AppConfig.ready()`` and raises alerts through :mod:`.services`, so no area imports
another to raise or show one.
"""
