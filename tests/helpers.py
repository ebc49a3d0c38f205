"""How tests log a persona in. Every test logs in through these, never with client.force_login
directly, so that when login requires more (the second factor) only this file changes."""

from __future__ import annotations

from tests.factories import TEST_PASSWORD


def login(client, user) -> None:
    """Log `user` in on the Django test client as a fully authenticated session."""
    client.force_login(user)


def browser_login(page, live_server, user, *, next_url: str = "") -> None:
    """Log `user` in through the real login page in the browser."""
    url = f"{live_server.url}/inloggen/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    page.get_by_label("Organisatie").select_option(label=user.organisatie.naam)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
