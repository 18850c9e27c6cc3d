#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytracker.settings")
    # Commands run by hand are development runs unless DEBUG says otherwise; the web server
    # (policytracker/wsgi.py) has no such default and stays safe: off unless DEBUG is set.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
