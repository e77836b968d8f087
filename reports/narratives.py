"""The paragraphs above the sections of the annual summary: what the manager saved for
the year, or sentences generated from the figures.

Every number in a sentence agrees with its noun and verb through ngettext, so Polish
gets its three forms ("1 osoba skorzystała", "2 osoby skorzystały", "5 osób
skorzystało"); a sentence's translation is chosen by the number its verb agrees with,
and the women among them are a clause of their own. A year that is not over says
"as of" its report's date.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kis.lib.formats import format_money, format_number, format_percent
from reports.models import AnnualNarrative, AnnualSection
from reports.selectors import AnnualSummary, ProjectYear


def _day(summary: AnnualSummary) -> str:
    return summary.as_of.strftime("%d.%m.%Y")


def _period(summary: AnnualSummary) -> str:
    if summary.is_partial:
        return _("In %(year)s (as of %(date)s)") % {"year": summary.year, "date": _day(summary)}
    return _("In %(year)s") % {"year": summary.year}


def _of_whom_women(count: int) -> str:
    # The same words as the dashboard's cards.
    return ngettext(", of whom %(women)s woman", ", of whom %(women)s women", count) % {
        "women": count
    }


def _hours(value: Decimal) -> str:
    """4 → "4", 4.50 → "4,5", 0.75 → "0,75"."""
    return format_number(value if value == value.to_integral_value() else value.normalize())


def _served(s: AnnualSummary) -> str:
    total = s.served.total
    sentence = (
        ngettext(
            "%(period)s the Social Integration Club's services were used by %(count)s person",
            "%(period)s the Social Integration Club's services were used by %(count)s people",
            total,
        )
        % {"period": _period(s), "count": total}
        + _of_whom_women(s.served.women)
        + "."
    )
    contacts = s.short_contacts
    if not contacts.contacts:
        return sentence
    return (
        sentence
        + " "
        + _("One-off help (single counselling sessions, consultations, information):")
        + " "
        + ngettext("%(count)s contact", "%(count)s contacts", contacts.contacts)
        % {"count": contacts.contacts}
        + " ("
        + _("%(hours)s h") % {"hours": _hours(contacts.hours)}
        + "), "
        + ngettext("%(count)s person", "%(count)s people", contacts.people.total)
        % {"count": contacts.people.total}
        + _of_whom_women(contacts.people.women)
        + "."
    )


def _long_term(s: AnnualSummary) -> str:
    total, contracts = s.long_term.total, s.contracts_concluded
    return (
        ngettext(
            "Long-term cooperation aimed above all at vocational activation covered "
            "%(count)s person",
            "Long-term cooperation aimed above all at vocational activation covered "
            "%(count)s people",
            total,
        )
        % {"count": total}
        + _of_whom_women(s.long_term.women)
        + "; "
        + ngettext(
            "%(count)s social contract was concluded.",
            "%(count)s social contracts were concluded.",
            contracts,
        )
        % {"count": contracts}
    )


def _supported_employment(s: AnnualSummary) -> str:
    placements = {p.kind: p.people for p in s.placements}
    psu, internship = placements["psu"], placements["internship"]
    return (
        ngettext(
            "With the county labour office %(count)s person did socially useful work",
            "With the county labour office %(count)s people did socially useful work",
            psu.total,
        )
        % {"count": psu.total}
        + _of_whom_women(psu.women)
        + "; "
        + ngettext(
            "%(count)s person did an internship",
            "%(count)s people did internships",
            internship.total,
        )
        % {"count": internship.total}
        + _of_whom_women(internship.women)
        + "."
    )


def _project(p: ProjectYear, day: str) -> str:
    """One sentence: who took part, how they left, who is still taking part."""
    sentence = ngettext(
        "In “%(title)s” %(count)s person took part",
        "In “%(title)s” %(count)s people took part",
        p.engaged,
    ) % {"title": p.project.title, "count": p.engaged} + _of_whom_women(p.engaged_women)
    breakdown = {"start": p.active_at_start, "started": p.started, "back": p.returned_from_earlier}
    if p.returned_from_earlier:
        sentence += (
            _(
                " (from the start of the year: %(start)s, joined: %(started)s, back from a "
                "job left in an earlier year: %(back)s)"
            )
            % breakdown
        )
    else:
        sentence += _(" (from the start of the year: %(start)s, joined: %(started)s)") % breakdown
    outcomes = []
    if p.dropped_out:
        outcomes.append(
            ngettext("%(n)s dropped out", "%(n)s dropped out", p.dropped_out) % {"n": p.dropped_out}
        )
    if p.left_for_job:
        left = ngettext("%(count)s left for a job", "%(count)s left for a job", p.left_for_job) % {
            "count": p.left_for_job
        }
        if p.came_back:
            left += ngettext(
                " (%(count)s of them came back)", " (%(count)s of them came back)", p.came_back
            ) % {"count": p.came_back}
        outcomes.append(left)
    if p.completed:
        outcomes.append(
            ngettext("%(n)s completed", "%(n)s completed", p.completed) % {"n": p.completed}
        )
    if outcomes:
        sentence += "; " + ", ".join(outcomes)
    sentence += "; " + ngettext(
        "%(count)s person was taking part on %(date)s",
        "%(count)s people were taking part on %(date)s",
        p.continuing,
    ) % {"count": p.continuing, "date": day}
    return sentence + "."


def _projects(s: AnnualSummary) -> str:
    if not s.projects:
        return _("%(period)s no project was run.") % {"period": _period(s)}
    count = len(s.projects)
    intro = ngettext(
        "%(period)s %(count)s project was run.", "%(period)s %(count)s projects were run.", count
    ) % {"period": _period(s), "count": count}
    return " ".join([intro, *(_project(p, _day(s)) for p in s.projects)])


def _care_point(s: AnnualSummary) -> str:
    c = s.community
    return (
        ngettext(
            "The care point for dependants was open %(sessions)s time (%(hours)s h)",
            "The care point for dependants was open %(sessions)s times (%(hours)s h)",
            c.care_point_sessions,
        )
        % {"sessions": c.care_point_sessions, "hours": _hours(c.care_point_hours)}
        + "; "
        + ngettext(
            "%(count)s adult left dependants in its care",
            "%(count)s adults left dependants in its care",
            c.care_point_people,
        )
        % {"count": c.care_point_people}
        + ", "
        + ngettext(
            "%(count)s dependant-place in all (one dependant looked after at one session).",
            "%(count)s dependant-places in all (one dependant looked after at one session).",
            c.care_point_places,
        )
        % {"count": c.care_point_places}
    )


def _community(s: AnnualSummary) -> str:
    c = s.community
    care = [_care_point(s)] if c.care_point_sessions else []
    if not c.events:
        return " ".join([_("No community actions were recorded."), *care])
    return " ".join([_events(c), *care])


def _events(c) -> str:
    return ngettext(
        "Community actions (%(events)s) were attended by %(count)s person from the register",
        "Community actions (%(events)s) were attended by %(count)s people from the register",
        c.registry_people,
    ) % {"events": ", ".join(e.name for e in c.events), "count": c.registry_people} + ngettext(
        " and %(count)s person from outside the projects.",
        " and %(count)s people from outside the projects.",
        c.outside_people,
    ) % {"count": c.outside_people}


def _budget(s: AnnualSummary) -> str:
    b = s.budget
    values = {
        "planned": format_money(b.planned),
        "year": s.year,
        "spent": format_money(b.spent),
        "percent": format_percent(b.percent) if b.percent is not None else "–",
        "date": _day(s),
    }
    if s.is_partial:
        return (
            _("Of %(planned)s planned for %(year)s, %(spent)s was spent by %(date)s (%(percent)s).")
            % values
        )
    return _("Of %(planned)s planned for %(year)s, %(spent)s was spent (%(percent)s).") % values


def _jobs(s: AnnualSummary) -> str:
    total = s.jobs.people.total
    return (
        ngettext(
            "%(period)s %(count)s person took up work for a short or longer period",
            "%(period)s %(count)s people took up work for a short or longer period",
            total,
        )
        % {"period": _period(s), "count": total}
        + _of_whom_women(s.jobs.people.women)
        + "."
    )


def generated_narratives(summary: AnnualSummary) -> dict[int, str]:
    return {
        AnnualSection.SERVED: _served(summary),
        AnnualSection.LONG_TERM: _long_term(summary),
        AnnualSection.SUPPORTED_EMPLOYMENT: _supported_employment(summary),
        AnnualSection.PROJECTS: _projects(summary),
        AnnualSection.COMMUNITY: _community(summary),
        AnnualSection.BUDGET: _budget(summary),
        AnnualSection.JOBS: _jobs(summary),
    }


def narratives_for(summary: AnnualSummary) -> dict[int, dict]:
    """{section: {"text", "saved"}}: saved paragraphs, else generated ones (1 query)."""
    saved = dict(AnnualNarrative.objects.filter(year=summary.year).values_list("section", "text"))
    generated = generated_narratives(summary)
    return {
        section: {"text": saved.get(section, generated[section]), "saved": section in saved}
        for section in AnnualSection.values
    }
