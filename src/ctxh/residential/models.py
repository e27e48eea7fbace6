"""Models of the app."""

from django.db import models  # noqa: F401
