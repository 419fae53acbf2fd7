"""Sub-commands of the `polefunds` command line, one module each."""
