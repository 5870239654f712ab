" apic schemas (apic(5))
autocmd BufRead,BufNewFile *.apic setfiletype apic
