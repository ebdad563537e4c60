from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "pora.bench"
    label = "bench"
