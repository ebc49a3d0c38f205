from django.apps import AppConfig


class OudersConfig(AppConfig):
    name = "ouders"
    verbose_name = "Ouders"

    def ready(self) -> None:
        from formulieren.views import tab_onderdeel_register

        # The school's "Ouders uitnodigen" block under the form on the Formulier tab.
        tab_onderdeel_register("ouders.views_school.formulier_tab_onderdeel")
