"""An independent oracle for differential testing: the policy re-implemented in plain Python.

It shares no code with the ASP path (no `govrules.lang`, `govrules.kernel`, `govrules.asp`,
`govrules.orders`); it reads only the validated input models of `govrules.inputs`.
"""
