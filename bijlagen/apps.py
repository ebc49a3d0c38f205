from django.apps import AppConfig


class BijlagenConfig(AppConfig):
    name = "bijlagen"
    verbose_name = "Bijlagen"
