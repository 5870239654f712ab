/* `apic lsp`: a Language Server Protocol 3.17 server on standard input and
 * output (see apic(1), lsp). Returns the exit status: 0 after shutdown and
 * exit, 1 when the client went away or sent exit without shutdown. */
#ifndef APIC_LSP_H
#define APIC_LSP_H

int lsp_main(void);

#endif
