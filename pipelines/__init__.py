"""polefunds: public funding of the pôles de compétitivité, from PDF deliberations to a warehouse."""
