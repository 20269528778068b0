import os

from django.core.management.base import BaseCommand

from clients.demo import DEMO_PEOPLE, demo_companion_logins, demo_password, seed_demo
from clients.demo_discharge import demo_discharged_client


class Command(BaseCommand):
    help = "Create the fictional Demo Clinic and Other Clinic with people and clients."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Password for every demo login.")
        parser.add_argument("--clients", type=int, default=30, help="Clients in the demo clinic.")

    def handle(self, *args, password: str | None, clients: int, **options) -> None:
        pw, generated = demo_password(password, os.environ.get("DEMO_PASSWORD"))
        result = seed_demo(password=pw, clients=clients)
        self.stdout.write(
            f"Demo clinic: {result['created']} clients created, {result['total']} in all."
        )
        self.stdout.write(
            f"Demo notes: {result['sessions']} sessions and {result['plans']} plans created."
        )
        self.stdout.write(
            f"Demo consents: {result['consents']} signed (one client has signed none yet)."
        )
        self.stdout.write(
            f"Demo release requests: {result['release_requests']} logged "
            "(on the caseload's 30-day clock)."
        )
        self.stdout.write("Demo logins:")
        for email, name, *_ in DEMO_PEOPLE:
            self.stdout.write(f"  {email:24} {name}")
        self.stdout.write(f"  {'olivia@other.example':24} Olivia Other-Clinic (other clinic)")
        for email, whose in demo_companion_logins():
            self.stdout.write(f"  {email:24} companion of {whose} (a client; /companion/)")
        self.stdout.write(
            "Supervision: ben@demo.example (Ben) is supervised by ana@demo.example (Ana), who "
            f"co-signs his notes; {result['to_review']} notes wait in Ana's review queue."
        )
        closed = demo_discharged_client()
        if closed:
            self.stdout.write(
                f"Discharged: {closed.display_name} (Ana's), with a signed discharge summary."
            )
        if generated:
            self.stdout.write(f"Password (generated, shown once): {pw}")
        else:
            self.stdout.write("Password: the one you gave (--password or DEMO_PASSWORD).")
