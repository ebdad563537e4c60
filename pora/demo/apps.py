from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pora.demo"
    label = "demo"
