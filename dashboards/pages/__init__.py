"""One module per page: PATH, NAME, ORDER, layout(params, **path_values) and register(app)."""
