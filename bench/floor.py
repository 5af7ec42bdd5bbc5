"""The floor: a minimal clingo program written by hand for one decision, fed the same facts.

Each floor program knows the one kind of document (or the one leave rule) it answers and
nothing else; it is what this design (ASP grounding and solving in clingo, facts as
symbols) costs at least. Its facts are the very symbols govrules builds for the same input,
built before the clock starts; the clock covers the control, the program, the facts, the
grounding, the search and reading the shown atoms.
"""

from __future__ import annotations

from collections.abc import Sequence

from clingo import Control, Function, Symbol

# An outgoing document in the name of the district government (article 29), all orders.
ROUTE = """
lead(F) :- doc_field(F,0).
dep(P) :- has_role(P,"deputy_director"), has_field(P,F), lead(F).
vm(P) :- has_role(P,"vice_mayor"), has_field(P,F), lead(F).
vm(P) :- has_role(P,"executive_vice_mayor"), has_field(P,F), lead(F).
g(("propose",U),1) :- unit("secretariat",U).
g(("review",P),2) :- dep(P).
g(("sign",P),3) :- vm(P).
g(("sign",P),3) :- has_role(P,"office_director").
g(("issue",P),4) :- has_role(P,"mayor").
step(S) :- g(S,_).
prec(S,T) :- g(S,G), g(T,G+1).
n(N) :- N = #count{ S : step(S) }.
pos(1..N) :- n(N).
1 { at(S,I) : pos(I) } 1 :- step(S).
:- pos(I), not 1 { at(S,I) : step(S) } 1.
:- prec(S,T), at(S,I), at(T,J), I > J.
#show step/1. #show prec/2. #show at/2.
"""

# An incoming document needing an instruction, across two fields (articles 26-28), checked.
CHECK = """
lead(F) :- doc_field(F,0).
other(F) :- doc_field(F,I), I > 0.
dep(P) :- has_role(P,"deputy_director"), has_field(P,F), lead(F).
vm(P) :- has_role(P,"vice_mayor"), has_field(P,F), lead(F).
vm(P) :- has_role(P,"executive_vice_mayor"), has_field(P,F), lead(F).
adep(P) :- has_role(P,"deputy_director"), has_field(P,F), other(F), not dep(P).
avm(P) :- has_role(P,"vice_mayor"), has_field(P,F), other(F), not vm(P).
avm(P) :- has_role(P,"executive_vice_mayor"), has_field(P,F), other(F), not vm(P).
dir(D) :- has_role(D,"office_director").
sec(U) :- unit("secretariat",U).
step(("propose",U)) :- sec(U).
step(("review",P)) :- dep(P).
step(("review",D)) :- dir(D).
step(("instruct",V)) :- vm(V).
step(("opine",A)) :- adep(A).
step(("review",B)) :- avm(B).
prec(("propose",U),("review",P)) :- sec(U), dep(P).
prec(("review",P),("review",D)) :- dep(P), dir(D).
prec(("review",D),("instruct",V)) :- dir(D), vm(V).
prec(("propose",U),("opine",A)) :- sec(U), adep(A).
prec(("opine",A),("review",B)) :- adep(A), avm(B).
prec(("review",P),("review",B)) :- dep(P), avm(B).
prec(("review",B),("instruct",V)) :- avm(B), vm(V).
done(S) :- step(S), S = (A,P), event(_,P,A).
last(S,I) :- done(S), S = (A,P), I = #max{ J : event(J,P,A) }.
missing(S) :- step(S), not done(S).
out_of_order(S,T,J) :- prec(S,T), last(S,I), last(T,J), J < I.
needs_opinion("propose"). needs_opinion("review"). needs_opinion("opine").
opinion_missing(I,P,A) :- event(I,P,A), needs_opinion(A), step((A,P)), not explicit_opinion(I).
arrived(I,D) :- event_at(I-1,D,_), event(I,_,_), I > 0.
late(P,I,Due) :- event(I,P,"review"), has_role(P,"deputy_director"), step(("review",P)),
    arrived(I,D0), workday_after(D0,1,Due), event_at(I,D,_), D > Due.
#show missing/1. #show out_of_order/3. #show opinion_missing/3. #show late/3.
"""

# Article 39: a deputy and the vice-mayor in charge on vacation together; advance reports.
LEAVE = """
% Article 39 as the bundled policy now reads it (as bench.duckdb_peer's SQL does): reports
% are owed for the four kinds of absence, to someone else; a report on or before the first
% working day of the absence is in advance; vacations clash only on a shared working day.
kind_owed("business_trip"). kind_owed("vacation"). kind_owed("sick"). kind_owed("personal").
has_reports_to(X) :- reports_to(X,_).
vmic(X,Y) :- has_role(X,"deputy_director"), has_field(X,F), has_field(Y,F),
    has_role(Y,"vice_mayor"), not has_reports_to(X).
vmic(X,Y) :- has_role(X,"deputy_director"), has_field(X,F), has_field(Y,F),
    has_role(Y,"executive_vice_mayor"), not has_reports_to(X).
vmic(X,Y) :- has_role(X,"deputy_director"), reports_to(X,Y).
clash(X,A,Y,B,F,T) :- vmic(X,Y), absence(A,X,"vacation",F1,T1), absence(B,Y,"vacation",F2,T2),
    F1 <= T2, F2 <= T1, F = (F1+F2+|F1-F2|)/2, T = (T1+T2-|T1-T2|)/2,
    workdays_upto(T,N1), workdays_upto(F-1,N0), N1 > N0.
owes(A,Q) :- absence(A,X,K,_,_), kind_owed(K), has_role(X,"office_director"), has_role(Q,"mayor").
owes(A,Q) :- absence(A,X,K,_,_), kind_owed(K), has_role(X,"office_director"),
    has_role(Q,"executive_vice_mayor").
owes(A,Q) :- absence(A,X,K,_,_), kind_owed(K), has_role(X,"deputy_director"), vmic(X,Q).
owes(A,Q) :- absence(A,X,K,_,_), kind_owed(K), has_role(X,"deputy_director"),
    has_role(Q,"office_director").
owed(A,Q) :- owes(A,Q), absence(A,X,_,_,_), Q != X.
nth_workday(N,D) :- workdays_upto(D,N), workdays_upto(D-1,N-1).
workday_in(A,D) :- owed(A,_), absence(A,_,_,F,T), workdays_upto(F-1,N), nth_workday(N+1,D), D <= T.
has_workday(A) :- workday_in(A,_).
first_work(A,D) :- workday_in(A,D).
first_work(A,F) :- owed(A,_), absence(A,_,_,F,_), not has_workday(A).
reported(A,Q) :- owed(A,Q), report(A,Q,_).
in_time(A,Q) :- owed(A,Q), report(A,Q,D), first_work(A,F), D <= F.
missing(A,Q) :- owed(A,Q), not reported(A,Q).
late(A,Q) :- reported(A,Q), not in_time(A,Q).
#show clash/6. #show missing/2. #show late/2.
"""

PROGRAMS = {"route": ROUTE, "check": CHECK, "leave": LEAVE}


def solve(
    program: str,
    facts: Sequence[Symbol],
    *,
    models: int = 1,
    statistics: dict[str, float] | None = None,
) -> list[list[Symbol]]:
    """Ground and solve `program` with `facts`; every model's shown atoms."""
    ctl = Control([f"--models={models}", "--warn=none"])
    ctl.add("base", [], program)
    with ctl.backend() as backend:
        for sym in facts:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    found: list[list[Symbol]] = []
    ctl.solve(on_model=lambda m: found.append(list(m.symbols(shown=True))))
    if statistics is not None:
        lp = ctl.statistics["problem"]["lp"]
        statistics["atoms"] = lp["atoms"]
        statistics["rules"] = lp["rules"]
    return found


def findings(program: str, facts: Sequence[Symbol]) -> int:
    """How many findings (shown atoms but steps and precedence) the floor reports."""
    model = solve(program, facts)[0]
    return sum(1 for s in model if s.name not in ("step", "prec", "at"))


def mode(name: str) -> Symbol:
    return Function("mode", [Function(name)])
