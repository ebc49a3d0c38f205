"""Backup codes stored as a keyed hash (accounts.models.Reservecodes): the proxy model, and the
codes already issued are hashed in place, so every user keeps the ten codes they wrote down."""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

# Frozen copy of Reservecodes.HASH_ZOUT and token_hash (a migration must not import the model).
HASH_ZOUT = "kindkans.accounts.Reservecodes"
HASH_LENGTE = 16


def codes_hashen(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    # Issued codes are 8 base32 characters; a 16-character value is already a hash.
    for token in StaticToken.objects.exclude(token__regex=r"^[0-9a-f]{16}$").iterator():
        token.token = salted_hmac(
            HASH_ZOUT, token.token, secret=settings.SECRET_KEY, algorithm="sha256"
        ).hexdigest()[:HASH_LENGTE]
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_genodigde"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="Reservecodes",
            fields=[],
            options={
                "verbose_name": "reservecodes",
                "verbose_name_plural": "reservecodes",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_static.staticdevice",),
        ),
        # Backwards: the hashes stay (they cannot be turned back into codes); after going back,
        # users make new backup codes.
        migrations.RunPython(codes_hashen, migrations.RunPython.noop, elidable=True),
    ]
