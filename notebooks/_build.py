"""Generate the notebooks of ``notebooks/`` from the cell sources in this file.

The notebooks are stored without outputs and are executed in CI
(``pytest --nbmake notebooks``). Edit the cells here, not the ``.ipynb``
files, then run::

    python notebooks/_build.py           # rewrite the notebooks
    python notebooks/_build.py --check   # exit 1 when a notebook differs from this file

Cell ids are deterministic (``<notebook>-<n>``), so a rebuild without changes
gives byte-identical files. Every notebook uses only the public API of
ecograph and shipped or generated data, and runs in well under two minutes
on two cores with its default parameters.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import nbformat

__all__ = ["NOTEBOOKS", "build", "main"]

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str]


def md(text: str) -> Cell:
    """A markdown cell (the text is dedented and stripped)."""
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str) -> Cell:
    """A code cell (the text is dedented and stripped)."""
    return ("code", textwrap.dedent(text).strip("\n"))


# ---------------------------------------------------------------------------
# 01: the Røros case
# ---------------------------------------------------------------------------


def roros_case() -> list[Cell]:
    """Cells of ``01-roros-case.ipynb``."""
    return [
        md("""
        # The Røros case: Best Lokalt as an entrepreneurial ecosystem

        This notebook walks through the **Best Lokalt** business network of the Røros region
        (Norway) with ecograph, and reads every result against the findings of the master's thesis
        the data comes from (*Best Lokalt også best nasjonalt?*, 2019; summarised in English in
        the project's seed digest, §4).

        The thesis is a qualitative case study: six anonymous informants from six of the network's
        twelve members, interviewed about motivation, cooperation, resources, innovation and growth.
        The bundle codes what the thesis states (the members of thesis Tabell 1, the informants'
        roles of Tabell 4, the same-industry pairs of §5.2, Rørosmat's 28 anonymous member-owners,
        the funding and the facilitator) and marks every row with its **provenance** (`stated`,
        `inferred` from the text, or `illustrative`) and its **evidence** (the passage).
        No number in this notebook is typed in by hand: each is computed from the bundle, and the
        claims the text makes about them are checked by the last cell, so the notebook fails
        instead of going stale when the data or the library change.

        Sections: 1 load and validate · 2 the map · 3 thin and dense · 4 key persons ·
        5 co-opetition · 6 Spigel and Miles & Morrison scores · 7 the missing R&D link ·
        8 resources and support · 9 interpretation · 10 the claims, checked.
        """),
        code("""
        %matplotlib inline
        import pathlib
        import shutil
        import tempfile

        import pandas as pd

        import ecograph
        from ecograph.datasets import dataset_path
        from ecograph.exceptions import BundleValidationError

        pd.set_option("display.max_columns", 20)
        pd.set_option("display.width", 160)
        pd.set_option("display.max_colwidth", 70)
        WORK = pathlib.Path(tempfile.mkdtemp(prefix="ecograph-roros-"))  # scratch files only
        """),
        md("""
        ## 1. Load and validate

        `ecograph.load_roros()` reads the bundle shipped with ecograph (`datasets/roros/`) and
        validates every row. The ecosystem holds typed pandas frames indexed by actor id.
        """),
        code("""
        eco = ecograph.load_roros()
        names = eco.actors["name"]
        print(eco)
        print(eco.meta.region, "| population", eco.meta.population, "| year", eco.meta.year)
        eco.summary().to_frame("count").T
        """),
        md("""
        Which rows are stated in the thesis, which are read from it, which only illustrate?
        The 28 member-owners of Rørosmat and their supply ties are placeholders (the thesis
        gives their number, not their names), so they are `illustrative`.
        """),
        code("""
        pd.crosstab(eco.relations["kind"], eco.relations["provenance"], margins=True)
        """),
        md("""
        **Validation.** A bundle is a folder of CSV files that people edit in spreadsheets, so
        mistakes happen. ecograph reports *every* problem at once, with file, spreadsheet row
        and field. Here two mistakes are planted in a copy of the bundle: a board seat held by an
        organisation, and an intensity above 1.
        """),
        code("""
        broken = WORK / "roros-broken"
        shutil.copytree(dataset_path("roros"), broken)
        rel = pd.read_csv(broken / "relations.csv", dtype=str, keep_default_na=False)
        rel.loc[rel.index[rel["kind"] == "board_seat"][0], "source"] = "rorosmat"
        rel.loc[rel.index[rel["kind"] == "coopetition"][0], "partner_intensity"] = "1.5"
        rel.to_csv(broken / "relations.csv", index=False)

        try:
            ecograph.read_bundle(broken)
        except BundleValidationError as err:
            print(err)
        """),
        md("""
        ## 2. The map

        One self-contained, offline HTML map: shapes and colours show actor kinds, line styles
        the relation kinds, node size the number of relations. Layers and kinds can be switched
        off in the legend; hover for details, click for the side panel.
        `ecograph.network_map(eco, "roros.html")` writes the same map to a file.
        """),
        code("""
        ecograph.network_map(eco, size_by="degree", height="560px")
        """),
        md("""
        ## 3. Thin and dense

        The thesis's own concept (§5.2, §6): rural networks are **thin** (few persons, because of
        demography) and at the same time **dense** (the same persons hold many roles in each
        other's organisations). `thin_dense_profile` measures both sides and compares the
        board/management structure with random two-mode networks that keep every person's number
        of seats and every board's size (a degree-preserving null model), so a small network is
        judged against its own baseline.
        """),
        code("""
        profile = ecograph.thin_dense_profile(eco, seed=0)
        keys = {
            "thin": ["population", "persons", "organisations", "persons_per_1000",
                     "organisations_per_1000"],
            "dense": ["mean_roles_per_person", "share_persons_2plus_roles",
                      "share_persons_3plus_roles", "interlocks", "interlock_density",
                      "interlock_repeat_share", "multiplexity"],
            "null model (z-scores)": ["z.interlock_density", "z.interlock_repeat_share",
                                      "z.multiplexity_organisations"],
            "structure": ["components", "largest_component_share", "average_path_length",
                          "external_bridging_share"],
        }
        pd.concat({side: profile[k] for side, k in keys.items()}).to_frame("value")
        """),
        md("""
        Only the six informants are modelled as persons (the thesis anonymises everyone and names
        nobody else), so `persons_per_1000` is a floor, not an estimate of the region's thinness;
        what the bundle can show is the *dense* side. Most informants hold two or more roles at
        once. All interlocks run through the network's own board: the informants who sit on the
        Best Lokalt board also run or chair a member. The null-model z-scores are small because
        six persons leave few ways to rewire the seats; read them as "no evidence either way"
        rather than as a finding.
        """),
        code("""
        il = ecograph.interlocks(eco)
        il.assign(org_a=il["org_a"].map(names), org_b=il["org_b"].map(names))
        """),
        code("""
        roles = ecograph.role_concentration(eco)
        ecograph.plot_role_concentration(roles, names=names, title="Roles per person (Best Lokalt)")
        """),
        md("""
        ## 4. Key persons

        "Individuals become more important" in small systems (thesis §5.2). `key_persons` removes
        each person with all their roles and measures what breaks: pairs of actors that can no
        longer reach each other, organisations left without a chair or a CEO, interlocks lost,
        organisations cut off from knowledge institutions or from outside actors.
        """),
        code("""
        kp = ecograph.key_persons(eco)
        kp[["rank", "roles", "pairs_disconnected", "delta_fragmentation", "interlocks_lost",
            "orgs_without_chair", "orgs_without_ceo", "orgs_cut_from_external"]]
        """),
        md("""
        `key_player_set` picks the few persons whose *joint* absence fragments the network most
        (Borgatti's KPP-Neg, greedy), and the robustness curve compares removing the
        best-connected persons first with random removals.
        """),
        code("""
        kps = ecograph.key_player_set(eco, k=3)
        display(kps)
        curve = ecograph.robustness_curve(eco, n_random=50, seed=0)
        ecograph.plot_robustness(curve[["removed", "targeted", "random"]].set_index("removed"),
                                 title="Share of actors in the largest component as informants leave")
        """),
        md("""
        Even with all six informants gone, most actors stay connected: the network's cohesion
        rests on the organisations' own ties (membership of Best Lokalt and Rørosmat, supply), so
        the persons matter less for *connection* than for *governance* — the chairs, CEOs and
        interlocks counted in the key-person table above.
        """),
        md("""
        ## 5. Co-opetition

        The three hotels and the two grocers of the network are same-industry members. The thesis
        reports that they see each other as **place-specific partners** rather than competitors
        ("we compete with meat producers in Argentina", §5.2) and criticises the binary
        high/low model of Chin, Chan & Lam (2008). ecograph places every pair on continuous
        competitor and partner intensities (coded from the passage, `inferred`) and names Luo's
        (2007) quadrant; `candidates=True` adds pairs the inference model proposes from
        register-like data (same industry and area, size, shared persons, joint memberships).
        """),
        code("""
        dyads = ecograph.coopetition(eco)
        cols = ["org_a", "org_b", "competitor_intensity", "partner_intensity", "category",
                "balance", "boundary_distance", "person_mediated"]
        dyads[cols].assign(org_a=dyads["org_a"].map(names), org_b=dyads["org_b"].map(names))
        """),
        code("""
        ecograph.plot_quadrants(dyads, names=names, title="Same-industry pairs of Best Lokalt (Luo 2007)")
        """),
        code("""
        proposed = ecograph.coopetition(eco, candidates=True)
        proposed = proposed[~proposed["stated"]]
        proposed[["org_a", "org_b", "competitor_intensity", "partner_intensity", "category"]].assign(
            org_a=proposed["org_a"].map(names), org_b=proposed["org_b"].map(names))
        """),
        md("""
        The proposed pairs are food producers that share an industry division: the model scores
        their competition from NACE codes, place and size, and their partnership from the one
        thing the data shows they share, their membership of the network. They are hypotheses for
        the facilitator to ask about, not findings; the thesis says nothing about rivalry between
        the producers.
        """),
        code("""
        ecograph.coopetition_summary(eco)[["n_dyads", "share_partnering", "mean_competitor_intensity",
                                            "mean_partner_intensity", "share_person_mediated"]]
        """),
        md("""
        ## 6. Spigel and Miles & Morrison scores

        The thesis reads Best Lokalt through Spigel's (2017) cultural, social and material
        attributes, drawn as a pyramid whose cultural base supports the layers above (§5.1), and
        through Miles & Morrison's (2018) framework and systemic conditions (Tabell 2). ecograph
        scores both with declarative models (`models/spigel2017.toml`,
        `models/miles_morrison2018.toml`): every indicator keeps its raw value, transformation,
        weight, contribution and source, and a missing input is reported, never imputed silently.
        """),
        code("""
        spigel = ecograph.model_scores(eco, model="spigel2017")
        spigel.layers[["score", "n_attributes", "n_missing", "drivers"]]
        """),
        code("""
        spigel.attributes[["layer", "score", "effective_weight", "drivers", "supply", "external_only"]]
        """),
        md("""
        **Why a score is what it is.** Each attribute score is the weighted mean of its
        normalised indicators; the `contribution` column adds up to the attribute score and the
        `note` says what is missing or clipped. Two attributes the thesis discusses:
        """),
        code("""
        ind = spigel.indicators
        ind.loc[ind["attribute"].isin(["universities", "investment_capital"]),
                ["attribute", "raw", "unit", "transformation", "normalised", "contribution", "note"]]
        """),
        code("""
        spigel.missing[["attribute", "reason"]]
        """),
        code("""
        spigel.pyramid
        """),
        code("""
        table = ecograph.spigel_scores(eco)
        ecograph.plot_layers(table[table["level"].isin(["layer", "attribute"])],
                             title="Spigel layers of Best Lokalt")
        """),
        md("""
        **How certain are these scores?** `score_uncertainty` redraws the weights around the
        declared ones (Dirichlet) and resamples each attribute's indicators, and reports an
        interval per score and the share of draws in which each pyramid check holds.
        """),
        code("""
        unc = ecograph.score_uncertainty(eco, model="spigel2017", n_draws=500, seed=0)
        unc[unc["level"] != "attribute"]
        """),
        code("""
        mm = ecograph.model_scores(eco, model="miles_morrison2018")
        display(mm.layers[["score", "n_attributes", "n_missing", "drivers"]])
        mm.attributes[["layer", "score", "drivers", "supply", "external_only"]]
        """),
        md("""
        ## 7. The missing R&D link

        The thesis states that Best Lokalt has **no formal link to an R&D environment** and that
        no informant named R&D (§5.1–5.2), and then suggests that in thin networks researchers may
        still be **within reach through board seats and other roles**. `reachability` measures
        exactly that: the shortest chain organisation – person – organisation – … from each
        organisation to the nearest knowledge institution, public body, support organisation and
        outside actor.
        """),
        code("""
        reach = ecograph.reachability(eco)
        reach[[c for c in reach.columns if c.endswith("_length")]].describe().loc[["count", "mean", "max"]]
        """),
        md("""
        No organisation reaches a knowledge institution, and none reaches an outside actor through
        a person. The shipped **what-if scenario** `university-partner` (hypothetical, every row
        `illustrative`) adds a university outside the region with a knowledge link to the network
        and one of its staff as an observer on the network's board. `compare` reports what
        changes, with the baseline's uncertainty interval to tell a real change from noise.
        """),
        code("""
        scenario = ecograph.Scenario.read(dataset_path("roros") / "scenarios" / "university-partner.toml")
        comparison = ecograph.compare(eco, scenario.apply(eco), sections=["scores", "reachability"])
        scores_delta = comparison.tables["scores"]
        scores_delta[scores_delta["delta"].fillna(0) != 0][
            ["level", "name", "score_baseline", "score_scenario", "delta", "verdict"]]
        """),
        code("""
        gained = comparison.tables["reachability"]
        gained = gained[gained["measure"] == "knowledge_institution_length"]
        gained = gained[gained["change"] == "gained"]
        gained.assign(actor=gained["actor_id"].map(names))[["actor", "scenario", "change"]]
        """),
        md("""
        ## 8. Resources and support

        The thesis answers its third research question with Miles & Morrison's three questions —
        **who are we, what can we do, whom do we know** — and an informant's "what we lack, the
        neighbour may have" (§5.3). `self_map` answers the three questions for one actor;
        `match_resources` matches every stated need to actors that have the resource, ranked by
        proximity and trust proxies (shared boards, joint memberships, direct ties).
        """),
        code("""
        print(ecograph.self_map(eco, "best_lokalt").describe())
        """),
        code("""
        matches = ecograph.match_resources(eco)
        matches.groupby(["item", "status"]).size().unstack(fill_value=0)
        """),
        code("""
        best = matches[(matches["status"] == "matched") & (matches["rank"] == 1)]
        best.assign(actor=best["actor"].map(names), provider=best["provider"].map(names))[
            ["actor", "item", "provider", "distance", "trust", "opportunity"]].head(12)
        """),
        md("""
        **Support functions.** The ØF report on micro-businesses (ØF-rapport 05/2016) finds that a
        micro-firm must do every support task itself — accounting, marketing, sales, development —
        and that capacity, not only competence, is short. `support_coverage` shows how the firms of
        an ecosystem get each function done (self, bought, network, cooperative, intermediary, not
        done). In Best Lokalt the data states one thing: Rørosmat has run sales, distribution and
        marketing for its member-owners for twenty years (thesis §5.1).
        """),
        code("""
        ecograph.support_coverage(eco, level="function")[
            ["group", "firms", "answered", "self", "cooperative", "not_done", "shared_share",
             "gap_rate", "providers"]]
        """),
        md("""
        ## 9. Interpretation: what the results say about the thesis's findings

        **Thin and dense.** The dense side of the thesis's central concept shows directly: most of
        the informants hold two or more roles, and every interlock runs through the network's
        board, where five of the six informants sit (Tabell 4), and the null model cannot tell
        six persons' seats apart from chance. The thin side cannot be measured
        from this bundle: with six modelled persons in a region of 20,000 people, the per-capita
        figures only bound it from below. The key-person table makes the thesis's warning concrete
        — "cooperation reduces vulnerability but raises the demand on each person to hold several
        roles": a single informant leaving cuts their firm off from the network, and removing the
        three most critical informants splits the graph into several pieces.

        **Drivers and inhibitors (RQ1).** The thesis names the **cultural** layer — an old culture
        of cooperation — as the most important driver (§5.1, §5.3). The bundle has no survey or
        founding-year data to score that layer, and ecograph says so rather than guessing: the
        pyramid's base cannot be tested here, and the qualitative finding stands on the
        interviews alone. The **social** layer scores clearly above the **material** one, and the
        uncertainty analysis keeps that order in almost every draw. The social score rests on
        dense membership and multi-role persons (the thesis's local anchoring and role models);
        the material layer is weak where the thesis says structural conditions "may act as an
        inhibitor": no R&D link, support and funding that reach the network rather than its
        firms, and trade that stays inside the region.

        **Trust (RQ2).** The thesis finds that trust, openness and anchoring decide growth, and
        that same-industry members cooperate as place-specific partners. Every coded
        same-industry pair sits in the *partnering* quadrant — but within 0.2 of a quadrant
        boundary, which is the thesis's point against a binary model: the degrees matter. The resource matches rank
        providers by the trust proxies the thesis names (shared boards, joint memberships,
        existing ties); the best match for most producer needs is a member the producer already
        trades with or shares the network with.

        **Long-term commitment.** Rørosmat is a cooperative (SA) owned by its 28 producers, and it
        initiated and owns the network process: the map and the support table show the
        cooperative as the hub through which sales, distribution and marketing are shared — the
        alternative to "doing everything yourself" that the ØF report looks for. Its
        member-owners' commitment is a structural fact in the graph (membership, ownership,
        supply), while the *values* the thesis describes (utility over profit, a long time
        horizon) are outside what a graph can measure.

        **The missing R&D link.** Confirmed in every analysis: no knowledge institution, no
        knowledge link, no path through any board seat, `universities` scores 0 with supply
        `absent`, and R&D, product development and development capital are among the needs no
        actor in the network can meet.
        The scenario shows the thesis's hopeful reading (§5.2) in numbers: one partnership and one
        board seat make a knowledge institution reachable from the network's members — a possible
        inhibitor becoming a growth factor. The `universities` attribute rises above its
        uncertainty interval, while the social and material layer scores stay inside theirs: one
        link changes what is within reach long before it changes the layer.

        **Miles & Morrison.** Financial capital is supplied **only from outside** (Innovasjon
        Norge's programme grant), the situation Miles & Morrison warn about: a rural ecosystem
        should be led by its own entrepreneurs. The thesis's observation that lack of money is not
        mentioned as an inhibitor (§5.3) fits a network whose main resources are human and
        organisational.

        **Limits.** Intensities, roles and supply ties are coded from a qualitative text;
        everything marked `inferred` or `illustrative` is a reading that another analyst could
        code differently, and the evidence column says which passage each rests on.
        """),
        md("""
        ## 10. The claims above, checked

        Each statement of the interpretation that rests on a computed result is asserted here.
        """),
        code("""
        informants = roles.index[roles.index.str.startswith("informant_")]
        checks = {
            "most informants hold two or more roles":
                (roles.loc[informants, "n_roles"] >= 2).mean() > 0.5,
            "every interlock involves the Best Lokalt board":
                bool(((il["org_a"] == "best_lokalt") | (il["org_b"] == "best_lokalt")).all()),
            "one informant leaving disconnects actors": bool(kp["pairs_disconnected"].max() > 0),
            "three informants split the graph": int(kps["components"].iloc[-1]) > int(profile["components"]),
            "most actors stay connected without the informants": float(curve["targeted"].iloc[-1]) > 0.5,
            "persons matter for governance": int(kp[["orgs_without_chair", "orgs_without_ceo"]].sum().sum()) > 0,
            "every coded pair is partnering": bool((dyads["category"] == "partnering").all()),
            "the cultural layer has no score": pd.isna(spigel.layers.loc["cultural", "score"]),
            "social above material": spigel.layers.loc["social", "score"] > spigel.layers.loc["material", "score"],
            "social >= material in >= 90 % of draws":
                float(unc.loc[unc["name"] == "social >= material", "p_holds"].iloc[0]) >= 0.9,
            "universities score 0, supply absent":
                spigel.attributes.loc["universities", "score"] == 0
                and spigel.attributes.loc["universities", "supply"] == "absent",
            "no organisation reaches a knowledge institution":
                bool(reach["knowledge_institution_length"].isna().all()),
            "no organisation reaches an outside actor through a person":
                bool((reach["external_length"].dropna() == 0).all()),
            "R&D is an unmatched need": bool(((matches["item"] == "research_and_development")
                                              & (matches["status"] == "unmatched")).any()),
            "the scenario makes R&D reachable": len(gained) > 0,
            "investment capital only from outside": bool(spigel.attributes.loc["investment_capital", "external_only"]),
            "M&M financial capital only from outside": bool(mm.attributes.loc["financial_capital", "external_only"]),
            "Rørosmat provides shared sales support": bool(
                ecograph.support_coverage(eco, level="function").loc["sales", "cooperative"] > 0),
            "five informants on the network board": int(((eco.relations["kind"] == "board_seat")
                                                         & (eco.relations["target"] == "best_lokalt")).sum()) == 5,
            "null-model |z| < 2": bool(profile[["z.interlock_density", "z.interlock_repeat_share"]].abs().max() < 2),
            "coded pairs within 0.2 of a boundary": bool((dyads["boundary_distance"] <= 0.2 + 1e-9).all()),
            "proposed pairs: food producers sharing only the network": bool(
                proposed["org_a"].map(eco.actors["nace"]).str.startswith("10").all()
                and proposed["org_b"].map(eco.actors["nace"]).str.startswith("10").all()
                and (proposed["joint_membership"] > 0).all()
                and (proposed[["shared_persons", "supply", "support", "shared_owners"]] == 0).all().all()),
            "no support or funding reaches an enterprise":
                ind.loc["supported_share", "raw"] == 0 and ind.loc["funded_share", "raw"] == 0,
            "almost all trade stays inside": ind.loc["external_supply_share", "raw"] < 0.1,
            "most best matches use an existing tie or the network": bool(
                ((best["direct_tie"] == True) | (best["joint_memberships"] > 0)).mean() > 0.5),  # noqa: E712
            "R&D, product development, capital unmatched": {
                "research_and_development", "product_development", "development_capital"}
                <= set(matches.loc[matches["status"] == "unmatched", "item"]),
            "universities above its interval in the scenario":
                scores_delta.set_index("name").loc["universities", "verdict"] == "above the interval",
            "layers inside their intervals in the scenario": bool(
                (scores_delta.set_index("name").loc[["social", "material"], "verdict"] == "inside the interval").all()),
        }
        failed = [claim for claim, ok in checks.items() if not ok]
        assert not failed, f"claims no longer supported by the data: {failed}"
        pd.Series(checks, name="holds").to_frame()
        """),
    ]


# ---------------------------------------------------------------------------
# 02: from the registers
# ---------------------------------------------------------------------------


def from_the_registers() -> list[Cell]:
    """Cells of ``02-from-the-registers.ipynb``."""
    return [
        md("""
        # From the registers: a municipality ecosystem from Brønnøysund and the shareholder register

        Most regions have no thesis written about them. What they have are the public registers:
        Enhetsregisteret (every unit, its legal form, industry, address and employees), its roles
        (CEOs, board members, owners of sole proprietorships, auditors and accountants) and
        Skatteetaten's shareholder register. This notebook

        1. imports the **real-format samples** (one file per format ecograph reads) and shows the
           import report: nothing is dropped silently;
        2. builds the ecosystem of one municipality from a register extract and cuts it out of
           its region, keeping the ties that leave it;
        3. runs the same analyses as for Røros and **compares** the two.

        **The data is invented.** `data/brreg-samples/` are copies of the test fixtures of
        `tests/data/brreg/` (invented content, real formats, with deliberately broken records).
        `data/fjellbygd/` is the register extract of two fictional municipalities, *Fjellbygd*
        (kommunenummer 9901) and its neighbour *Dalbygd* (9902), written by
        `data/_make_fjellbygd.py` in the formats of the Enhetsregisteret API v2, the bulk roles
        file and the shareholder register. Its organisation numbers fail the modulus-11 check, so
        they can never belong to a real unit. With a real extract (see
        `docs/registers-and-batch.md`) the code is the same.
        """),
        code("""
        %matplotlib inline
        import pathlib

        import pandas as pd

        import ecograph
        from ecograph.batch.partition import partition_by_municipality

        pd.set_option("display.max_columns", 20)
        pd.set_option("display.width", 160)
        pd.set_option("display.max_colwidth", 60)
        DATA = pathlib.Path("data")
        """),
        md("""
        ## 1. The formats, and what the importer does with bad records

        `import_brreg` detects each format from the content (gzip from the magic bytes, a single
        unit, a search page, a bulk array, the 2024 or 2025 CSV header; the shareholder file's
        year layout and encoding). The samples include records the importer must refuse: an
        unknown role code, a board seat held by an organisation, an unreadable share count, a
        line with too few fields, a shareholding in a company that is not among the units.
        """),
        code("""
        samples = DATA / "brreg-samples"
        sample = ecograph.import_brreg(
            enheter=[samples / "enheter_search_page.json", samples / "enhet_999999999.json"],
            roller=[samples / "roller_999999999.json", samples / "roller_hotell.json"],
            underenheter=samples / "underenheter_search_page.json",
            aksjonaerer=samples / "aksjonaerer_2022.csv",
            salt="ecograph-notebook",
        )
        print(sample.report.summary())
        sample.report.skipped_frame()
        """),
        md("""
        Every skipped record has its file, its location inside the file and the offending value;
        resigned roles are counted, not silently kept or lost. Person ids are salted hashes of the
        normalised name and birth date (`p_…`), so two imports with the same secret salt give the
        same ids, and nobody can recompute an id from a guessed name without the salt.
        """),
        code("""
        sample.ecosystem.relations[["source", "target", "kind", "role", "share"]]
        """),
        md("""
        ## 2. A municipality from a register extract

        The Fjellbygd extract holds both municipalities' units, one sub-unit (a branch of
        Dalbygd's grocery cooperative in Fjellbygd), the roles file and the 2023 shareholder
        register. Shareholders are identified by name and birth **year** only; with
        `link_shareholders="name_year"` a shareholder is the same person as the role holder with
        the same normalised name and birth year when exactly one such person exists.
        """),
        code("""
        extract = DATA / "fjellbygd"
        imported = ecograph.import_brreg(
            enheter=extract / "enheter.json",
            roller=extract / "roller_totalbestand.json.gz",
            underenheter=extract / "underenheter.json",
            aksjonaerer=extract / "aksjonaerer_2023.csv",
            salt="ecograph-notebook",
            link_shareholders="name_year",
            name="Fjellbygd and Dalbygd (invented register extract)",
        )
        region = imported.ecosystem
        print(region)
        print(imported.report.summary())
        region.relations.groupby(["kind", "role"]).size().to_frame("relations")
        """),
        md("""
        **Cutting out one municipality.** Organisations belong to the municipality of their
        business address; persons follow their roles; an organisation elsewhere that is tied to
        the municipality (a board seat or a shareholding that crosses the border, an auditor in
        the next valley) stays as an `external` actor with its ties. This is the partition the
        batch scorer uses for every municipality of Norway.
        """),
        code("""
        parts = partition_by_municipality(region)
        display(parts.sizes())
        fjellbygd = parts["9901"]
        # The registers have no population; add it (invented, as everything here) from SSB table 07459.
        fjellbygd = fjellbygd.with_frames(meta=fjellbygd.meta.model_copy(
            update={"name": "Fjellbygd (invented)", "population": 2400, "year": 2023}))
        names = fjellbygd.actors["name"]
        fjellbygd.actors.loc[fjellbygd.actors["external"], ["name", "kind", "municipality"]]
        """),
        code("""
        ecograph.network_map(fjellbygd, size_by="degree", height="520px")
        """),
        md("""
        ## 3. The same analyses as for Røros
        """),
        code("""
        roros = ecograph.load_roros()
        both = {"Fjellbygd (registers)": fjellbygd, "Røros (thesis)": roros}
        rows = ["persons", "organisations", "persons_per_1000", "organisations_per_1000",
                "mean_roles_per_person", "share_persons_2plus_roles", "interlocks",
                "interlock_density", "interlock_repeat_share", "z.interlock_density",
                "z.interlock_repeat_share", "multiplexity", "external_bridging_share"]
        profiles = pd.DataFrame({label: ecograph.thin_dense_profile(e, seed=0) for label, e in both.items()})
        profiles.loc[rows]
        """),
        md("""
        The register view sees the **governance layer** that the thesis only sketches: every
        board seat, CEO, sole-proprietorship owner and shareholding, for everybody. Here the dense
        side shows clearly, and the null model can speak: the same few persons meet on the same
        boards far more often than the numbers of seats imply (a negative `z.interlock_density`
        with a positive `z.interlock_repeat_share`).

        **Relations by kind.** The two sources see different layers of the same kind of place:
        """),
        code("""
        pd.DataFrame({label: e.relations["kind"].value_counts() for label, e in both.items()}).fillna(0).astype(int)
        """),
        md("""
        The registers hold no memberships, no supply ties and no co-opetition statements; the
        thesis holds those but only six persons' roles. Neither source is "the ecosystem": the
        registers give the skeleton of ownership and governance everywhere, a study or a survey
        adds the cooperation on top of it.

        **Who is critical?**
        """),
        code("""
        kp = ecograph.key_persons(fjellbygd)
        kp.head(6).assign(name=kp.head(6).index.map(names))[
            ["name", "rank", "roles", "pairs_disconnected", "interlocks", "interlocks_lost",
             "orgs_without_chair", "orgs_cut_from_knowledge"]]
        """),
        md("""
        The ranking puts first the persons whose absence disconnects others; among them is one
        person with only two roles whose departure would cut most organisations off from the
        only knowledge institution within reach (`orgs_cut_from_knowledge`): a single board seat
        carries the whole link, the fragility the thesis warns about when "individuals become
        more important" (§5.2).
        """),
        md("""
        **Within reach.** Fjellbygd has no knowledge institution of its own, but the regional
        vocational college across the border (Dalbygd) is reachable through board seats: its
        director sits on the board of Fjellbygd's business garden, whose chair sits on the boards
        of the dairy, the destination company and the business association. This is the path the
        Røros thesis hopes for (§5.2) and which the Røros bundle does not have.
        """),
        code("""
        reach = ecograph.reachability(fjellbygd, targets=["knowledge_institution"])
        inside = ~fjellbygd.actors["external"].reindex(reach.index).fillna(False).astype(bool)
        reach = reach[reach["knowledge_institution_length"].notna() & inside]
        reach.assign(name=reach.index.map(names),
                     path=reach["knowledge_institution_path"].map(lambda p: " → ".join(names[a] for a in p)))[
            ["name", "knowledge_institution_length", "path"]].sort_values("knowledge_institution_length").head(8)
        """),
        md("""
        **Co-opetition from register data.** No intensity is stated in a register, so the
        inference model proposes candidate pairs (same industry division and municipality) and
        scores them: competition from the shared industry, place and size; partnership from
        shared board members, joint memberships, supply and support ties and shared owners. Pairs
        with the same person on both boards or managements are flagged `person_mediated`.
        """),
        code("""
        inferred = ecograph.coopetition(fjellbygd, candidates=True)
        display(inferred[["org_a", "org_b", "competitor_intensity", "partner_intensity", "category",
                          "person_mediated", "shared_persons", "shared_owners"]].assign(
            org_a=inferred["org_a"].map(names), org_b=inferred["org_b"].map(names)))
        ecograph.plot_quadrants(inferred, names=names, title="Inferred co-opetition in Fjellbygd")
        """),
        md("""
        **Scores.** With founding years and employee counts from the register, more of Spigel's
        indicators can be computed for Fjellbygd than for Røros (the Røros bundle knows the
        founding year of only two enterprises). Attributes that need a survey stay missing on
        both sides, and each side says why.
        """),
        code("""
        layers = pd.DataFrame({label: ecograph.model_scores(e, model="spigel2017").attributes["score"]
                               for label, e in both.items()})
        layers
        """),
        code("""
        cmp = ecograph.compare(roros, fjellbygd, labels=("Røros", "Fjellbygd"), sections=["scores"])
        cmp.tables["scores"][["level", "name", "score_Røros", "score_Fjellbygd", "delta", "verdict"]]
        """),
        md("""
        `verdict` says whether Fjellbygd's score lies inside Røros's uncertainty interval. Two
        places scored with different data sources are not directly comparable: Røros's social
        layer rests on memberships the registers cannot see, Fjellbygd's cultural layer on
        founding years the thesis does not give. The comparison is most useful for what it shows
        is **missing** on each side — which is what to collect next (a membership list from the
        business association, a survey on culture and role models, SSB's education statistics).
        """),
        code("""
        assert sample.report.skipped_frame().shape[0] > 0          # the broken sample records are reported
        assert profiles.loc["z.interlock_repeat_share", "Fjellbygd (registers)"] > 0
        assert profiles.loc["z.interlock_density", "Fjellbygd (registers)"] < 0
        assert layers["Fjellbygd (registers)"].notna().sum() > layers["Røros (thesis)"].notna().sum()
        assert reach.shape[0] > 0                                   # knowledge within reach via boards
        knowledge_keeper = kp["orgs_cut_from_knowledge"].idxmax()
        assert kp.loc[knowledge_keeper, "roles"] == 2
        assert kp.loc[knowledge_keeper, "orgs_cut_from_knowledge"] > len(fjellbygd.organisations) / 2
        assert set(fjellbygd.relations["kind"]) <= {"board_seat", "management", "ownership", "support"}
        """),
    ]


# ---------------------------------------------------------------------------
# 03: all municipalities
# ---------------------------------------------------------------------------


def all_municipalities() -> list[Cell]:
    """Cells of ``03-all-municipalities.ipynb``."""
    return [
        md("""
        # All municipalities: batch scoring, ranks with uncertainty, bottlenecks

        A county council wants to know how its municipalities compare, how sure the ranking is,
        and which condition holds each municipality back. This notebook scores a **synthetic
        Norway** (the generator is seeded; its assumptions are listed in the docstring of
        `ecograph.synthetic_region`) municipality by municipality — first on local worker
        processes, then on a Dask `LocalCluster` — and checks that both give the same table.

        The parameters below keep the run small enough for CI (one county). Set `COUNTIES = None`
        and raise `ORGS_PER_MUNICIPALITY` to score all 357 municipalities; on a cluster, pass the
        scheduler address instead of starting a `LocalCluster` (see `docs/dask.md`).
        """),
        code("""
        # Parameters
        COUNTIES = ["50"]            # county codes (50 = Trøndelag); None = all 357 municipalities
        ORGS_PER_MUNICIPALITY = 25   # mean number of organisations per municipality
        WORKERS = 2                  # local processes and Dask workers
        N_DRAWS = 500                # uncertainty draws
        SEED = 7
        """),
        code("""
        %matplotlib inline
        import pathlib
        import tempfile
        import time

        import pandas as pd
        from dask.distributed import Client, LocalCluster

        import ecograph
        from ecograph.registry.tables import municipalities

        pd.set_option("display.max_columns", 20)
        pd.set_option("display.width", 160)
        OUT = pathlib.Path(tempfile.mkdtemp(prefix="ecograph-batch-"))
        """),
        md("""
        ## 1. A synthetic country

        `synthetic_region` draws organisations into municipalities (heavy-tailed sizes), boards
        and CEOs, persons holding several roles (a truncated power law, 85 % filled locally),
        ownership, co-opetition, supply, support, membership, funding and knowledge ties. Only
        the micro-firm share (82 % with 0–4 employees, as in the ØF report) and the municipality
        list are data; everything else is a stylised assumption.
        """),
        code("""
        kommuner = municipalities()
        chosen = kommuner if COUNTIES is None else kommuner[kommuner["county_code"].isin(COUNTIES)]
        codes = sorted(chosen.index)
        country = ecograph.synthetic_region(ORGS_PER_MUNICIPALITY * len(codes), municipalities=codes, seed=SEED)
        print(country)
        print(len(codes), "municipalities in", ", ".join(sorted(chosen["county_name"].unique())))
        """),
        md("""
        ## 2. Score every municipality, on local processes

        Each municipality is cut out of the country (organisations by address, persons by their
        roles, outside partners kept as `external` actors) and scored by the **measures**: here
        the fast structural counts and the Spigel layer and attribute scores. Measures are given
        as `"module:function"` strings, so worker processes (and remote Dask workers) can import
        them. `ecograph.score_municipalities` writes one row per municipality, a detail file per
        municipality as it finishes (a rerun resumes), the Stam and GEI indices over the
        municipalities and a manifest with input hashes, versions and timings.
        """),
        code("""
        MEASURES = {
            "basic": "ecograph.batch.measures:basic_structure",
            "spigel": "ecograph.batch.measures:spigel",
        }
        start = time.perf_counter()
        local = ecograph.score_municipalities(country, OUT / "local", executor="processes",
                                              workers=WORKERS, measures=MEASURES, progress=False)
        local_seconds = time.perf_counter() - start
        print(f"{len(local)} municipalities in {local_seconds:.1f} s on {WORKERS} processes;",
              local["status"].value_counts().to_dict())
        local[["name", "organisations", "persons", "spigel.layer.cultural", "spigel.layer.social",
               "spigel.layer.material", "index.stam.score", "index.gei.score", "index.gei.bottleneck"]].head()
        """),
        md("""
        ## 3. The same on a Dask cluster

        A `LocalCluster` with one thread per worker (the randomised measures seed igraph's
        process-global generator, so workers must not share a process between threads). On a
        real cluster, replace it with `Client("tcp://scheduler:8786")`; the client partitions the
        country, ships chunks of municipalities to the workers and writes every output itself, so
        the workers need neither the input nor the output folder.
        """),
        code("""
        start = time.perf_counter()
        with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            on_dask = ecograph.score_municipalities(country, OUT / "dask", executor="dask",
                                                    scheduler=client, measures=MEASURES, progress=False)
        dask_seconds = time.perf_counter() - start
        pd.testing.assert_frame_equal(local, on_dask)
        print(f"Dask: {dask_seconds:.1f} s (cluster start included); the table is identical to the local run.")
        """),
        md("""
        ## 4. Ranking with uncertainty

        The batch computed the Stam-style index (each indicator divided by its mean over the
        municipalities, elements summed) over the Spigel attribute scores known everywhere. A rank
        computed from one set of weights hides how fragile it is: `score_uncertainty` redraws the
        weights (Dirichlet around equal weights) and resamples the elements, and reports an
        interval for every score and rank (OECD/JRC *Handbook on Constructing Composite
        Indicators*, 2008).
        """),
        code("""
        ok = local[local["status"] == "ok"]
        indicators = [c.removeprefix("index.stam.") for c in ok.columns
                      if c.startswith("index.stam.spigel.attribute.")]
        print("indicators:", [c.removeprefix("spigel.attribute.") for c in indicators])
        unc = ecograph.score_uncertainty(ok[indicators], method="stam", n_draws=N_DRAWS, seed=0)
        ranked = unc.join(ok["name"]).sort_values("rank")
        ranked[["name", "score", "score_lower", "score_upper", "rank", "rank_lower", "rank_upper",
                "p_rank", "p_top"]].head(10)
        """),
        code("""
        highlight = [ranked.loc[c, "name"] for c in ["5025", "5026"] if c in ranked.index]  # Røros, Holtålen
        ecograph.plot_ranking(ranked, score="score", low="score_lower", high="score_upper", label="name",
                              rank_low="rank_lower", rank_high="rank_upper", highlight=highlight, top=25,
                              title="Stam-style index over Spigel attributes, 90 % intervals")
        """),
        code("""
        width = ranked["rank_upper"] - ranked["rank_lower"]
        print(f"median width of the 90 % rank interval: {width.median():.0f} places of {len(ranked)}")
        print(f"municipalities whose rank is certain (interval of one place): {(width == 0).sum()}")
        """),
        md("""
        Overlapping intervals mean the data cannot tell those municipalities apart; a league table
        of point ranks would pretend otherwise.

        ## 5. Each municipality's bottleneck

        The GEI-style index (Ács, Szerb & Autio) penalises an unbalanced profile: a municipality
        is held back by its weakest element (the *penalty for bottleneck*). The bottleneck
        simulation raises each element of each municipality a little, all else fixed, and ranks
        the elements by the gain in score: priority 1 is where to act first.
        """),
        code("""
        sim = ecograph.bottleneck_simulation(ok[indicators], increase=0.05)
        first = sim[sim["priority"] == 1].set_index("region")
        first = first.join(ok["name"])
        first["element"] = first["element"].str.removeprefix("spigel.attribute.")
        first[["name", "element", "value", "is_bottleneck", "score", "gain"]].sort_values("score").head(10)
        """),
        md("""
        The warning is ecograph telling the truth about the data: in this synthetic country most
        municipalities have no funded enterprise, so the investment-capital element is 0 almost
        everywhere and the GEI's average equalisation cannot raise its mean to the common level;
        the element keeps the bound exponent, and it is the bottleneck of many municipalities.
        """),
        code("""
        first["element"].value_counts().rename("municipalities where this comes first").to_frame()
        """),
        code("""
        gei_bottleneck = ok.loc[first.index, "index.gei.bottleneck"].str.removeprefix("spigel.attribute.")
        agree = (first["element"] == gei_bottleneck).mean()
        print(f"the first priority is the municipality's bottleneck in {agree:.0%} of the municipalities")
        """),
        md("""
        Because of the penalty, raising the bottleneck lifts every element of the municipality,
        so it usually comes first; the exceptions are municipalities whose two weakest elements
        are close, where a small increase lifts the bottleneck past the next one.

        **Reading the synthetic results.** The scores describe a generated country: they show
        how the pipeline behaves (which attributes can be scored from register-like data, how wide
        the intervals are with a few indicators), not facts about Trøndelag. With a real register
        import (`ecograph import brreg`, see notebook 02) the same code scores the real
        municipalities.
        """),
        code("""
        assert (local["status"] == "ok").all()
        assert (unc["rank_lower"] <= unc["rank"]).all() and (unc["rank"] <= unc["rank_upper"]).all()
        assert first.shape[0] == ok.shape[0]
        """),
    ]


# ---------------------------------------------------------------------------
# 04: scale
# ---------------------------------------------------------------------------


def scale() -> list[Cell]:
    """Cells of ``04-scale.ipynb``."""
    return [
        md("""
        # Scale: a large region, timed against networkx

        ecograph keeps the typed data in pandas and computes on igraph and scipy; networkx is
        convenient but pure Python. This notebook generates one large synthetic region, times the
        main analyses, times the equivalent networkx code on the same graph, and checks that the
        two compute the same values where they define them the same way.

        Timings depend on the machine and on what else runs on it; the table printed below is the
        measurement of *this* run. The size is a parameter: CI runs 10,000 organisations (about
        25,000 actors). The benchmark suite (`benchmarks/README.md`) measures larger sizes with
        repetitions.
        """),
        code("""
        # Parameters
        N_ORGS = 10_000         # organisations; try 100_000 or 1_000_000 on a bigger machine
        MUNICIPALITIES = 8      # the Fjellregionen around Røros and its neighbours
        K_SOURCES = 16          # sampled sources for betweenness (both libraries)
        NX_MAX_ACTORS = 60_000  # skip the networkx timings above this size
        NX_REMOVALS = 10        # persons removed one by one in networkx (extrapolated to all)
        """),
        code("""
        import time

        import networkx as nx
        import numpy as np
        import pandas as pd

        import ecograph

        timings: list[dict[str, object]] = []

        def timed(library, analysis, func):
            start = time.perf_counter()
            result = func()
            timings.append({"analysis": analysis, "library": library,
                            "seconds": time.perf_counter() - start})
            return result
        """),
        code("""
        eco = timed("ecograph", "generate the region",
                    lambda: ecograph.synthetic_region(N_ORGS, municipalities=MUNICIPALITIES, seed=1))
        print(eco)
        """),
        md("""
        ## 1. ecograph

        Graph build (typed layers into igraph), the thin-and-dense profile (with a 20-graph null
        model), interlocks (a sparse `Bᵀ B` projection), node metrics (sampled betweenness and
        closeness), key persons (every person removed, via the block-cut tree), the co-opetition
        summary (inference over candidate pairs) and the Spigel scores.
        """),
        code("""
        graph = timed("ecograph", "build the graph", lambda: eco.to_igraph())
        profile = timed("ecograph", "thin-and-dense profile", lambda: ecograph.thin_dense_profile(eco, n_null=20))
        interlocks = timed("ecograph", "interlocks", lambda: ecograph.interlocks(eco))
        metrics = timed("ecograph", "node metrics",
                        lambda: ecograph.node_metrics(eco, betweenness_sources=K_SOURCES,
                                                      closeness_sources=K_SOURCES))
        kp = timed("ecograph", "key persons (all)", lambda: ecograph.key_persons(eco))
        coop = timed("ecograph", "co-opetition summary", lambda: ecograph.coopetition_summary(eco))
        spigel = timed("ecograph", "Spigel scores", lambda: ecograph.spigel_scores(eco))
        print(graph.vcount(), "vertices,", graph.ecount(), "edges;", len(interlocks), "interlocked pairs")
        """),
        md("""
        ## 2. networkx, the same work

        The networkx graph is built from the same frames (`eco.to_networkx()` keeps every
        attribute), then simplified to an undirected graph as ecograph does. Betweenness uses the
        same number of sampled sources (the samples differ, so those values are compared by rank
        correlation only). Removing every person one by one is quadratic in networkx; it is
        timed on `NX_REMOVALS` persons and extrapolated, and the table says so.
        """),
        code("""
        run_nx = graph.vcount() <= NX_MAX_ACTORS
        if run_nx:
            G = timed("networkx", "build the graph", lambda: nx.Graph(eco.to_networkx()))
            persons = eco.actors.index[eco.actors["kind"] == "person"]
            affiliation = eco.relations[eco.relations["kind"].isin(["board_seat", "management"])]

            def nx_interlocks():
                B = nx.Graph()
                B.add_nodes_from(affiliation["source"].unique(), bipartite=0)
                B.add_edges_from(zip(affiliation["source"], affiliation["target"]))
                orgs = set(affiliation["target"])
                return nx.bipartite.weighted_projected_graph(B, orgs)

            P = timed("networkx", "interlocks", nx_interlocks)
            nx_metrics = {}
            def nx_node_metrics():
                nx_metrics["pagerank"] = nx.pagerank(G, alpha=0.85, tol=1e-12, weight=None)
                nx_metrics["clustering"] = nx.clustering(G)
                nx_metrics["kcore"] = nx.core_number(G)
                nx_metrics["articulation"] = set(nx.articulation_points(G))
                nx_metrics["betweenness"] = nx.betweenness_centrality(G, k=K_SOURCES, seed=0, normalized=True)
            timed("networkx", "node metrics", nx_node_metrics)

            def nx_removals():
                # Only the component count after each removal: less than key_persons computes.
                for person in persons[:NX_REMOVALS]:
                    attrs, edges = dict(G.nodes[person]), list(G.edges(person, data=True))
                    G.remove_node(person)
                    nx.number_connected_components(G)
                    G.add_node(person, **attrs)
                    G.add_edges_from(edges)
            start = time.perf_counter()
            nx_removals()
            per_person = (time.perf_counter() - start) / NX_REMOVALS
            timings.append({"analysis": "key persons (all)", "library": "networkx (extrapolated)",
                            "seconds": per_person * len(persons)})
        else:
            print(f"networkx skipped: {graph.vcount()} actors > NX_MAX_ACTORS")
        """),
        md("""
        ## 3. Same values?

        Where both libraries define a measure the same way, the values agree: the interlocked
        pairs and their shared-person counts, PageRank, core numbers and articulation points.
        Local clustering agrees wherever it is defined; ecograph reports NaN for actors with fewer
        than two neighbours, where networkx reports 0.
        """),
        code("""
        if run_nx:
            ours = {(a, b) if a < b else (b, a): w for a, b, w in
                    zip(interlocks["org_a"], interlocks["org_b"], interlocks["shared_persons"])}
            theirs = {(a, b) if a < b else (b, a): d["weight"] for a, b, d in P.edges(data=True)}
            pr = pd.Series(nx_metrics["pagerank"]).reindex(metrics.index)
            cl = pd.Series(nx_metrics["clustering"]).reindex(metrics.index)
            defined = metrics["clustering"].notna()
            bt = pd.Series(nx_metrics["betweenness"]).reindex(metrics.index)
            core = pd.Series(nx_metrics["kcore"]).reindex(metrics.index)
            cut_points = set(metrics.index[metrics["articulation_point"]])
            agreement = pd.Series({
                "interlocks: same pairs and counts": ours == theirs,
                "PageRank: max abs difference": float((metrics["pagerank"] - pr).abs().max()),
                "core numbers equal": bool((metrics["kcore"] == core).all()),
                "articulation points equal": cut_points == nx_metrics["articulation"],
                "clustering: max abs difference where defined":
                    float((metrics.loc[defined, "clustering"] - cl[defined]).abs().max()),
                "sampled betweenness: Spearman rank correlation":
                    float(metrics["betweenness_norm"].corr(bt, method="spearman")),
            }, name="value")
            display(agreement.to_frame())
            assert agreement["interlocks: same pairs and counts"]
            assert agreement["PageRank: max abs difference"] < 1e-8
            assert agreement["core numbers equal"] and agreement["articulation points equal"]
            assert agreement["clustering: max abs difference where defined"] < 1e-12
        """),
        md("""
        ## 4. Timings of this run
        """),
        code("""
        frame = pd.DataFrame(timings)
        order = list(dict.fromkeys(frame["analysis"]))
        table = frame.pivot_table(index="analysis", columns="library", values="seconds", aggfunc="sum").reindex(order)
        if "networkx" in table:
            nx_total = table["networkx"].fillna(table.get("networkx (extrapolated)"))
            table["networkx / ecograph"] = nx_total / table["ecograph"]
        table.round(3)
        """),
        md("""
        What the rows compare: *node metrics* in networkx is PageRank, clustering, core numbers,
        articulation points and sampled betweenness; ecograph's `node_metrics` computes those
        plus closeness, harmonic and eigenvector centrality and degrees per layer, so the ratio
        understates the difference. *Key persons* in networkx is only the component count after
        each removal, timed on a few persons and extrapolated; ecograph's `key_persons` also
        counts lost interlocks, chairs, CEOs and paths to knowledge institutions. The graph build
        is the price of the typed layer (networkx's build here starts from ecograph's own
        export). Exact betweenness and closeness cost one breadth-first search per actor;
        ecograph switches to sampling automatically above `n·m = 2·10⁸`, networkx leaves that to
        the caller. Key persons show the largest gap: ecograph evaluates every removal in
        one pass over the block-cut tree, `O(n + m)` in total, where the direct approach
        recomputes the components once per person.

        The benchmark suite (`benchmarks/README.md`) runs this comparison at larger sizes, with
        repetitions and peak memory; `docs/analysis/thin-and-dense.md` (section 10) quotes a first
        measurement.
        """),
    ]


NOTEBOOKS: dict[str, Callable[[], list[Cell]]] = {
    "01-roros-case.ipynb": roros_case,
    "02-from-the-registers.ipynb": from_the_registers,
    "03-all-municipalities.ipynb": all_municipalities,
    "04-scale.ipynb": scale,
}
"""File name -> function returning its cells."""


def build(name: str) -> str:
    """The JSON text of notebook ``name`` (no outputs, deterministic cell ids)."""
    stem = name.split("-", 1)[0]
    cells = []
    for i, (kind, source) in enumerate(NOTEBOOKS[name]()):
        cell_id = f"nb{stem}-{i:02d}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))  # type: ignore[no-untyped-call]
        else:
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id))  # type: ignore[no-untyped-call]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={  # type: ignore[no-untyped-call]
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    text: str = nbformat.writes(nb, version=4)  # type: ignore[no-untyped-call]
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every notebook; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a stored notebook differs from the generated one")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        text = build(name)
        path = HERE / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale notebooks (run python notebooks/_build.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
