"""API tokens: of lodging software, and personal tokens of office users.

    pora token create --lodging NAME [--label TEXT]   prints the token once
    pora token create --user USERNAME [--name TEXT]   a personal token, printed once
    pora token list [--lodging NAME | --user USERNAME]
    pora token revoke PREFIX [--user USERNAME]        --user: who revokes (required for a
                                                      lodging's token)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from pora.core.models import User, UserToken
from pora.core.services import user_token_create, user_token_revoke
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


def find_user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user


def _state(token) -> str:
    if token.revoked_at:
        return f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
    if token.last_used_at:
        return f"last used {token.last_used_at:%Y-%m-%d %H:%M} from {token.last_used_ip}"
    return "never used"


class Command(BaseCommand):
    help = "Create, list or revoke API tokens of lodgings and personal tokens of office users."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        owner = create.add_mutually_exclusive_group(required=True)
        owner.add_argument("--lodging", help="lodging name or id")
        owner.add_argument("--user", help="username of an office user (personal token)")
        create.add_argument("--label", "--name", dest="label", default="API",
                            help="what the token is for")
        listing = sub.add_parser("list", help="list tokens (never their values)")
        listing_owner = listing.add_mutually_exclusive_group()
        listing_owner.add_argument("--lodging", help="lodging name or id")
        listing_owner.add_argument("--user", help="username: that user's personal tokens")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        revoke.add_argument("--user", help="who revokes it: an officer or the lodging's "
                                           "manager; for a personal token its user")

    def handle(self, *args, action, **options):
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            self._revoke(options)

    def _create(self, options):
        if options.get("user"):
            user = find_user(options["user"])
            try:
                token, raw = user_token_create(actor=None, user=user, name=options["label"])
            except PermissionError as exc:
                raise CommandError(f"{user.username}: {exc}") from exc
            owner = f"user {user.username}"
        else:
            lodging = find_lodging(options["lodging"])
            token, raw = token_create(actor=None, lodging=lodging, label=options["label"])
            owner = lodging.name
        self.stderr.write(f"Token {token.prefix}… for {owner} (shown once; stored hashed):")
        self.stdout.write(raw)

    def _list(self, options):
        if not options.get("user"):
            tokens = ApiToken.objects.select_related("lodging")
            if options.get("lodging"):
                tokens = tokens.filter(lodging=find_lodging(options["lodging"]))
            for token in tokens:
                self.stdout.write(f"{token.prefix}…\t{token.lodging.name}\t{token.label}\t"
                                  f"{_state(token)}")
        if not options.get("lodging"):
            personal = UserToken.objects.select_related("user")
            if options.get("user"):
                personal = personal.filter(user=find_user(options["user"]))
            for token in personal:
                self.stdout.write(f"{token.prefix}…\tuser {token.user.username}\t{token.name}\t"
                                  f"{_state(token)}")

    def _revoke(self, options):
        actor = find_user(options["user"]) if options.get("user") else None
        prefix = options["prefix"].rstrip("….")
        if not prefix:
            raise CommandError("give the beginning of the token")
        same = Q(prefix=prefix) | Q(prefix__startswith=prefix)
        matches = (list(ApiToken.objects.filter(same)[:2])
                   + list(UserToken.objects.filter(same)[:2]))
        if len(matches) != 1:
            raise CommandError(f"{len(matches) or 'no'} tokens start with {prefix!r}")
        [token] = matches
        try:
            if isinstance(token, UserToken):
                user_token_revoke(actor=actor, token=token)
            elif actor is None:
                raise CommandError("--user is required to revoke a lodging's token")
            else:
                token_revoke(actor=actor, token=token)
        except PermissionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"revoked {token.prefix}…")
