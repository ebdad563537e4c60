"""Settings for the test suite: the production module with fast hashing and inline tasks."""

import os

os.environ.setdefault("PORA_TESTING", "true")

from pora.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "id"
