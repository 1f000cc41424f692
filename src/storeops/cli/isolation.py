"""storeops isolation [set]: linked-account risk between active stores."""

from __future__ import annotations

from typing import Optional

import typer

from storeops.cli.common import WIDE_OPTION, JSON_OPTION, language, open_repo, problem_list, read_projects

isolation_app = typer.Typer(
    help="Find active stores whose accounts could be linked.\n\n"
         "That is stores sharing a network, device, login email, phone, payout account, or an entity "
         "on the same marketplace. Exit 1 when there is any.\n\n"
         "Examples:\n\n  storeops isolation\n\n  storeops isolation set acme-amazon-us --network proxy-us-03",
    invoke_without_command=True,
)


@isolation_app.callback()
def isolation(ctx: typer.Context, as_json: bool = JSON_OPTION, wide: bool = WIDE_OPTION) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from storeops import actions, render
    from storeops.isolation import conflicts, unrecorded
    from storeops.labels import word

    repo = open_repo(ctx)
    lang = language(ctx, repo)
    projects, problems = read_projects(repo)
    found = conflicts(projects)
    missing = unrecorded(projects)
    active = sum(1 for p in projects if p.archived is None)
    if as_json:
        render.emit_json({"today": actions.today(repo.config).isoformat(), "active": active,
                          "conflicts": [c.to_dict() for c in found], "unrecorded": missing,
                          "problems": problem_list(problems)})
    else:
        if found:
            render.table([word("risk", lang), word("value", lang), word("platform", lang), word("projects", lang)],
                         [[c.kind, c.value, c.platform + (f"-{c.site}" if c.site else ""), ", ".join(c.projects)]
                          for c in found], ["red"] * len(found), shrink=(1, 3))
            render.message(f"{len(found)} linked-account risk(s) among {active} active store(s)")
        else:
            render.message(f"no shared network, device, login, phone, payout account or entity among {active} active store(s)")
        if missing:
            render.message(f"no isolation data yet: {', '.join(missing)} "
                           f"(storeops isolation set {missing[0]} --network ... --device ...)", "dim")
    if found or problems:
        raise typer.Exit(1)


@isolation_app.command("set")
def set_isolation(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="PROJECT"),
    network: Optional[str] = typer.Option(None, "--network", metavar="N", help="Proxy, VPN or line the store uses."),
    device: Optional[str] = typer.Option(None, "--device", metavar="D", help="Computer, VPS or browser profile."),
    phone: Optional[str] = typer.Option(None, "--phone", metavar="P", help="Phone number on the account."),
    payout_account: Optional[str] = typer.Option(None, "--payout-account", metavar="A",
                                                 help="Payout bank or wallet account (an identifier you recognise)."),
) -> None:
    """Record what keeps a store apart from the others ("" clears a field).

    \b
    Examples:
      storeops isolation set acme-amazon-us --network proxy-us-03 --device vps-12
      storeops isolation set acme-amazon-us --phone "+1 555 0100" --payout-account payoneer-7781
    """
    from storeops import outcomes, render
    from storeops.cli.outcomes import warn_conflicts

    repo = open_repo(ctx)
    project, changes = outcomes.set_isolation(repo, project_id, network=network, device=device, phone=phone,
                                              payout_account=payout_account)
    for key, (old, new) in changes.items():
        render.message(f"{project_id}: {key} {render.clean(outcomes.shown_value(old))} → "
                       f"{render.clean(outcomes.shown_value(new))}")
    warn_conflicts(repo, project, {("isolation", key) for key in changes})


ORDER = 47


def register(app: typer.Typer) -> None:
    app.add_typer(isolation_app, name="isolation")
