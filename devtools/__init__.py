"""Development tooling: the load generator (`manage.py generate_load`) and the demo accounts of
`manage.py seed --with-demo-users`.

Installed only by the development and test settings, and left out of the built package: these
generators write rows directly, bypassing the services every production write goes through.
Nothing in the product imports this package except management command wiring.
"""
