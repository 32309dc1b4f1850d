"""The core app's one table: rate-limit counters (lagesbild.core.ratelimit)."""

from django.db import models


class RateCounter(models.Model):
    """Requests counted for one client, one named limit and one time window.

    Counted with one atomic `INSERT ... ON CONFLICT ... DO UPDATE SET count = count + 1`, so
    every worker process and every application server on the database agrees on the count.
    Rows of windows that have ended are removed when a new window starts.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
