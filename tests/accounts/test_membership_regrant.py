import pytest


@pytest.mark.django_db
def test_a_revoked_role_can_be_given_back(cast):
    from ctxh.accounts.services import membership_grant, membership_revoke

    m = cast.collaborator.memberships.get()
    membership_revoke(actor=cast.admin, membership=m)
    again = membership_grant(actor=cast.admin, user=cast.collaborator, organization=m.organization,
                             role=m.role, communes=list(m.communes.all()))
    assert again.pk == m.pk and again.is_active
