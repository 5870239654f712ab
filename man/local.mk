# automake fragment: the manual pages, apic(1) (the command) and apic(5)
# (the schema language). tests/diag/manlint.sh lints them with mandoc.
dist_man_MANS += man/apic.1 man/apic.5
