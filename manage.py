#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindkans.settings")
    # Writing or checking migration files signs nothing, so it needs no SECRET_KEY (settings
    # demand one unless DEBUG); every other command still does.
    if sys.argv[1:2] == ["makemigrations"]:
        os.environ.setdefault("SECRET_KEY", "makemigrations-signs-nothing-" + "0" * 32)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
