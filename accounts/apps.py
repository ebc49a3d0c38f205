from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Gebruikers"

    def ready(self) -> None:
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.admin_site import KindkansAdminSite

        # The default admin.site (the one every app registers on, served at /beheer/) becomes an
        # OTP admin site: staff need both factors. Swapping the class keeps every registration.
        admin.site.__class__ = KindkansAdminSite
        # Connects the receivers that drop a cached user or device on a change.
        from accounts import sessiecache  # noqa: F401

        # django-otp's device admins show any user's TOTP secret as a QR code; the beheerder
        # resets a second factor through the User admin action instead.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
