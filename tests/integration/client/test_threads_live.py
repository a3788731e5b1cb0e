"""One Workspace shared by threads: concurrent creates, patches and reads against the hub, nothing lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from contacthub_like import Customer, Properties, Workspace


def test_threads_share_one_workspace(workspace: Workspace, node) -> None:
    def create(i: int) -> Customer:
        return node.add_customer(externalId=f"t-{i}", base=Properties(firstName=f"F{i}", lastName="Thread"))

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(create, range(48)))
    assert sorted(c.externalId for c in created) == sorted(f"t-{i}" for i in range(48))
    assert len({c.id for c in created}) == 48

    def patch(customer: Customer) -> str:
        customer.base.lastName = f"Patched-{customer.externalId}"
        customer.patch()
        return customer.base.lastName

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(patch, created)) == sorted(f"Patched-t-{i}" for i in range(48))

    with ThreadPoolExecutor(8) as pool:
        fetched = list(pool.map(lambda c: node.get_customer(id=c.id), created))
    assert [f.base.lastName for f in fetched] == [f"Patched-{c.externalId}" for c in created]
    # the node object is shared, not duplicated, when threads ask for it at once
    with ThreadPoolExecutor(8) as pool:
        nodes = set(pool.map(lambda _: id(workspace.get_node(node.node_id)), range(32)))
    assert nodes == {id(node)}


def test_query_prefetch_reads_every_page_live(node) -> None:
    for i in range(23):
        node.add_customer(externalId=f"p-{i:02d}", base=Properties(firstName="Pre", lastName="Fetch"))
    query = node.query(Customer).filter(Customer.base.firstName == "Pre").limit_page_size(5)
    walked = [c.externalId for c in query.all(prefetch=3)]
    assert walked == [f"p-{i:02d}" for i in range(23)]
    assert [c.externalId for c in query.all(prefetch=3).stream()] == walked
