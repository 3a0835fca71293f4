"""Letters issued with a result (issue 13, the human touches): congratulations
on a birth or a marriage registration, condolences with the civil-funeral
guidance on a death registration — templates per procedure with a period,
printed as PDF with the signing leader's name. Also the count of receptions
outside working hours for the staff pages (``selectors.out_of_hours_counts``)."""
