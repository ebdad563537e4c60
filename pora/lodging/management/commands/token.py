"""API tokens for lodging software.

    pora token create --lodging NAME [--label TEXT]   prints the token once
    pora token list [--lodging NAME]
    pora token revoke PREFIX --user USERNAME
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from pora.core.models import User
from pora.lodging.models import ApiToken, Lodging
from pora.lodging.services.reporters import token_create, token_revoke


def find_lodging(name: str) -> Lodging:
    """By id, exact name, or a name fragment that matches exactly one lodging."""
    query = Lodging.objects.select_related("office")
    if name.isdigit():
        found = list(query.filter(pk=int(name)))
    else:
        found = list(query.filter(name__iexact=name)) or list(query.filter(name__icontains=name))
    if not found:
        raise CommandError(f"no lodging named {name!r}")
    if len(found) > 1:
        listing = ", ".join(f"{lodging.pk}: {lodging.name} ({lodging.office.code})"
                            for lodging in found[:10])
        raise CommandError(f"{len(found)} lodgings match {name!r}; give the id: {listing}")
    return found[0]


class Command(BaseCommand):
    help = "Create, list or revoke API tokens of lodgings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--lodging", required=True, help="lodging name or id")
        create.add_argument("--label", default="API", help="what the token is for")
        listing = sub.add_parser("list", help="list tokens (never their values)")
        listing.add_argument("--lodging", help="lodging name or id")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        revoke.add_argument("--user", required=True, help="officer or manager revoking it")

    def handle(self, *args, action, **options):
        if action == "create":
            lodging = find_lodging(options["lodging"])
            token, raw = token_create(actor=None, lodging=lodging, label=options["label"])
            self.stderr.write(f"Token {token.prefix}… for {lodging.name} "
                              f"(shown once; stored hashed):")
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("lodging")
            if options.get("lodging"):
                tokens = tokens.filter(lodging=find_lodging(options["lodging"]))
            for token in tokens:
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else (
                    f"last used {token.last_used_at:%Y-%m-%d %H:%M} from {token.last_used_ip}"
                    if token.last_used_at else "never used")
                self.stdout.write(f"{token.prefix}…\t{token.lodging.name}\t{token.label}\t{state}")
        else:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
            prefix = options["prefix"].rstrip("….")
            matches = list(ApiToken.objects.filter(Q(prefix=prefix) | Q(prefix__startswith=prefix))
                           [:2])
            if len(matches) != 1:
                raise CommandError(f"{len(matches) or 'no'} tokens start with {prefix!r}")
            token_revoke(actor=user, token=matches[0])
            self.stdout.write(f"revoked {matches[0].prefix}…")
