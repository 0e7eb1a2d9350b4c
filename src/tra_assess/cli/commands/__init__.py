"""One module per command (or command group). Each imports only typer at module level."""
