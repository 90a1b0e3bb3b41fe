"""Hand-written handlers behind the generated routes (generated/routes.py): one module per
resource of the API, one function per operation, named after the spec's Danish operation."""
