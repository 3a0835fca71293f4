"""Setting up a peer and looking after its transfers (admin, tests, commands).

A peer acts here through its technical account, and only where a role says
so: the reception role at each agency it may deliver dossiers to
(``peer_allow_delivery``), the specialist's and leader's roles at each stand-in
agency it serves (``remote_agency_link``) so it can finish the steps handed to
it. No other power is given to it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency, Membership, Role
from motcua.core.errors import Conflict
from motcua.notifications.worker import message_retry

from .models import OutboundTransfer, Peer, RemoteAgency
from .outbound import transfer_message

STEP_ROLES = (Role.SPECIALIST, Role.LEADER)


@transaction.atomic
def peer_prepare(peer: Peer) -> Peer:
    """Save ``peer`` and give it its technical account (once; no password)."""
    peer.save()
    if peer.account_id is None:
        user = get_user_model().objects.create_user(
            f"lienthong.{peer.code}"[:150], email="", password=None
        )
        user.first_name = str(peer.name)[:150]
        user.save(update_fields=["first_name"])
        peer.account = user
        peer.save(update_fields=["account"])
    return peer


def _grant(peer: Peer, agency: Agency, roles: tuple[str, ...]) -> None:
    if peer.account is None:
        peer_prepare(peer)
    for role in roles:
        Membership.objects.get_or_create(
            user=peer.account, agency=agency, role=role, defaults={"is_active": True}
        )


@transaction.atomic
def peer_allow_delivery(peer: Peer, agency: Agency) -> None:
    """``peer`` may hand steps to ``agency`` (received by its account)."""
    _grant(peer, agency, (Role.RECEPTION,))


@transaction.atomic
def remote_agency_link(agency: Agency, peer: Peer, remote_code: str) -> RemoteAgency:
    """``agency`` (a row of ours) stands for the agency ``remote_code`` of
    ``peer``: a workflow step at ``agency`` is handed to the peer."""
    remote, _ = RemoteAgency.objects.update_or_create(
        agency=agency, defaults={"peer": peer, "remote_code": remote_code.strip()}
    )
    _grant(peer, agency, STEP_ROLES)
    return remote


@transaction.atomic
def transfer_retry(transfer: OutboundTransfer) -> OutboundTransfer:
    """Staff send a failed package again (a new attempt, same idempotency key,
    so the peer never receives it twice)."""
    message = transfer_message(transfer)
    if message is None:
        raise Conflict("exchange.no_delivery", "Hồ sơ liên thông không có lần gửi.")
    message_retry(message)
    OutboundTransfer.objects.filter(
        pk=transfer.pk, state=OutboundTransfer.State.REFUSED
    ).update(state=OutboundTransfer.State.SENDING, refusal="")
    transfer.refresh_from_db()
    return transfer
