"""Sources as pages and API endpoints: each document with every visible record that cites it."""
