"""The paragraphs above the sections of the annual summary: what the manager saved for
the year, or a sensible text generated from the figures."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kis.lib.formats import format_money, format_percent
from reports.models import AnnualNarrative, AnnualSection
from reports.selectors import AnnualSummary


def generated_narratives(summary: AnnualSummary) -> dict[int, str]:
    s, year = summary, summary.year
    placements = {p.kind: p for p in s.placements}
    psu, internship = placements.get("psu"), placements.get("internship")
    projects = "; ".join(
        _(
            "%(title)s: %(engaged)s people engaged, %(dropped)s dropped out, %(jobs)s left "
            "for a job, %(returned)s returned after a job ended, %(continuing)s continue"
        )
        % {
            "title": p.project.title,
            "engaged": p.engaged,
            "dropped": p.dropped_out,
            "jobs": p.left_for_job,
            "returned": p.returned,
            "continuing": p.continuing,
        }
        for p in s.projects
    )
    events = ", ".join(e.name for e in s.community.events)
    return {
        AnnualSection.SERVED: _(
            "In %(year)s the Social Integration Club's services were used by %(total)s "
            "people, of whom %(women)s were women."
        )
        % {"year": year, "total": s.served.total, "women": s.served.women},
        AnnualSection.LONG_TERM: _(
            "Long-term cooperation aimed above all at vocational activation covered "
            "%(total)s people, of whom %(women)s were women; %(contracts)s social contracts "
            "were concluded."
        )
        % {
            "total": s.long_term.total,
            "women": s.long_term.women,
            "contracts": s.contracts_concluded,
        },
        AnnualSection.SUPPORTED_EMPLOYMENT: _(
            "With the county labour office %(psu)s people (%(psu_women)s women) did socially "
            "useful work and %(internships)s people (%(internship_women)s women) did "
            "internships."
        )
        % {
            "psu": psu.people.total if psu else 0,
            "psu_women": psu.people.women if psu else 0,
            "internships": internship.people.total if internship else 0,
            "internship_women": internship.people.women if internship else 0,
        },
        AnnualSection.PROJECTS: (
            ngettext(
                "In %(year)s %(count)s project was run",
                "In %(year)s %(count)s projects were run",
                len(s.projects),
            )
            % {"year": year, "count": len(s.projects)}
            + (": " + projects + "." if projects else ".")
        ),
        AnnualSection.COMMUNITY: (
            _(
                "Community actions (%(events)s) gathered %(registry)s of the club's clients "
                "and %(outside)s people from outside the projects."
            )
            % {
                "events": events or "–",
                "registry": s.community.registry_people,
                "outside": s.community.outside_people,
            }
        ),
        AnnualSection.BUDGET: _(
            "Of %(planned)s planned for %(year)s, %(spent)s was spent (%(percent)s)."
        )
        % {
            "planned": format_money(s.budget.planned),
            "year": year,
            "spent": format_money(s.budget.spent),
            "percent": format_percent(s.budget.percent) if s.budget.percent is not None else "–",
        },
        AnnualSection.JOBS: _(
            "In %(year)s %(total)s people, of whom %(women)s women, took up work for a "
            "short or longer period."
        )
        % {"year": year, "total": s.jobs.people.total, "women": s.jobs.people.women},
    }


def narratives_for(summary: AnnualSummary) -> dict[int, dict]:
    """{section: {"text", "saved"}}: saved paragraphs, else generated ones (1 query)."""
    saved = dict(AnnualNarrative.objects.filter(year=summary.year).values_list("section", "text"))
    generated = generated_narratives(summary)
    return {
        section: {"text": saved.get(section, generated[section]), "saved": section in saved}
        for section in AnnualSection.values
    }
