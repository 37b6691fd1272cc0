"""Form data builders for the administration tests."""


def full_answers(value: str = "4", **changes) -> dict[str, str]:
    """Every alliance-client item answered (interpreter item included)."""
    ids = ["goal-1", "task-1", "bond-1", "goal-2", "task-2", "bond-2", "goal-3", "task-3",
           "bond-3", "interp-1"]
    data = {"action": "submit", **{f"item-{link_id}": value for link_id in ids}}
    data.update({f"item-{key}": v for key, v in changes.items()})
    return data
