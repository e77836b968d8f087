"""The load benchmark's users (run by `bench_reports --load`, which starts gunicorn on
127.0.0.1 and passes the plan in KIS_BENCH_PLAN): caseworkers (3 in 4) and managers
(1 in 4), each signed in by a session cookie, requesting their pages in turn with a
short pause. Only the 127.0.0.1 host of the plan is ever requested."""

import itertools
import json
import os
import random
from urllib.parse import urlsplit

from locust import HttpUser, between, task

PLAN = json.loads(os.environ.get("KIS_BENCH_PLAN", "{}"))


class _Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self):
        if urlsplit(self.host).hostname != "127.0.0.1":
            raise RuntimeError("The load benchmark targets 127.0.0.1 only.")
        plan = PLAN[self.role]
        self.headers = {"Cookie": plan["cookie"]}
        urls = list(plan["urls"])
        random.shuffle(urls)
        self.urls = itertools.cycle(urls)

    @task
    def page(self):
        url = next(self.urls)
        self.client.get(
            url, headers=self.headers, name=url.split("?")[0] if "?" not in url else url
        )


class Caseworker(_Person):
    role = "caseworker"
    weight = 3


class Manager(_Person):
    role = "manager"
    weight = 1
