## tamim's command line in English. Every message here is in tr.ftl too (a test checks).
## Arguments are values given by the code: { $name }.

## Errors
error-prefix = error: { $message }
error-caused-by = {"\u000A"}  caused by: { $cause }
error-bad-lang = --lang: "{ $value }" is not a language tamim speaks; give tr (Türkçe) or en (English)
error-invalid = { $field }: { $problem }
error-not-found = { $what } "{ $key }" does not exist{ $hint }
error-duplicate = { $what } "{ $key }" already exists
error-cycle = distribution list cycle: { $cycle }
word-document = document
word-org = org
word-person = person
word-list = list
word-delivery = delivery
word-org-or-person = org or person
hint-by-id-or-sayi = {" "}(by id or sayı)
hint-write-at-name = {" "}(write @NAME for a list)
error-date-empty = no date given: the text is empty
error-date-unrecognised = { $value } is not a date: expected a day-first date such as 05 Kasım 2021, 02.11.2021 or 30/04/2021, or an ISO date such as 2021-11-02
error-date-unknown-month = { $value } is not a date: { $month } is not a Turkish month name (Ocak, Şubat, Mart, Nisan, Mayıs, Haziran, Temmuz, Ağustos, Eylül, Ekim, Kasım, Aralık)
error-date-no-such-month = { $value } is not a date: month { $month } does not exist
error-date-no-such-day = { $value } is not a date: day { $day } does not exist
error-date-past-month-end = { $value } is not a date: { $month } { $year } has { $days } days
error-date-year-out-of-range = { $value } is not a date: year { $year } is out of range
error-sayi-empty = no sayı given: the text is empty
error-sayi-unrecognised = { $raw } is not a sayı: expected a number (4516), a prefixed number (25346381.010.06/53064), an e-Yazışma number (E-85840981-167.01-122254) or a year/number (2021/81)
error-sayi-not-in-form = { $raw } is not { $form ->
        [plain] a plain sayı: expected digits only, e.g. 4516
        [dotted] a prefixed sayı: expected <prefix>/<number> or <prefix>-<number>, e.g. 25346381.010.06/53064
        [eyazisma] an e-Yazışma sayı: expected E-<DETSİS>-<SDP code>-<number>
       *[year-number] a year/number sayı: expected <year>/<number>, e.g. 2021/81
    }
error-sayi-too-large = { $raw } is not a sayı: its number { $digits } is too large
error-db-foreign-key = the registry refused the change: it refers to a record the registry does not hold (nothing was changed)
error-db-unique = the registry refused the change: the same record is already registered (nothing was changed)
error-db-frozen = the registry refused the change: what is recorded there is frozen and is never edited (nothing was changed)
error-db-constraint = the registry refused the change: a value it needs is missing or out of range (nothing was changed)
error-db-busy = the registry is busy: another tamim command is writing to it; run the command again in a moment (nothing was changed)
error-db-damaged = the registry's database (tamim.sqlite) is damaged or is not a database; restore it from a backup
error-db-read-only = the registry's database (tamim.sqlite) cannot be opened for writing; check the permissions of the registry folder and its files
error-db-disk-full = the disk holding the registry is full (nothing was changed); free some space and run the command again
error-db-too-big = a value given is too large for the registry to store (nothing was changed)
error-db-io = the registry's database could not be read or written (an input/output error of the disk; nothing was changed)
error-db-interrupted = the command was interrupted before it finished (nothing was changed)
error-db-failed = the registry's database could not carry out the command (nothing was changed)
error-db-no-row = a record the command needs is not in the registry
error-db-unreadable = the registry holds a record this version of tamim cannot read; `tamim log verify` checks the registry
error-io = { $path }: { $problem }
error-file = { $path }: { $problem }
error-not-a-registry = { $path } is not a tamim registry (no tamim.sqlite there); run `tamim init --registry { $path }` to make one
error-schema-too-new = the registry database has schema version { $found }, newer than this tamim understands ({ $supported }); upgrade tamim
error-thread = cannot start the { $what } thread: { $problem }
error-config = office.toml: { $problem }
error-csv = { $file }: { $count } bad line(s), nothing imported:{"\u000A"}{ $lines }
error-ack-not-a-recipient = { $recipient }: document { $doc } was never sent to this recipient (no delivery for "{ $recipient }"); check the code with `tamim status { $doc }`
error-ack-backwards = { $recipient }: the delivery is { $from }; it cannot move back to { $to }
error-ack-already = { $recipient }: already acknowledged at { $at } ({ $how }); an acknowledgement cannot be withdrawn or replaced
error-ack-future = { $field }: "{ $value }" is in the future (it is now { $now })
error-ack-before-document = { $field }: "{ $value }" is before the document's date { $date }
error-ack-before-delivery = { $field }: "{ $value }" ({ $shown }) is earlier than the delivery was { $step } ({ $at }); an acknowledgement cannot come before it
error-ack-not-sent-yet = { $recipient }: the delivery is { $state }: document { $doc } has not been sent to this recipient yet; run `tamim send { $doc }` first, then record what the recipient did
error-ack-duplicate-followon = { $recipient }: follow-on { $sayi } of { $tarih } is already recorded (reported at { $at }) with the same counts; nothing was recorded
error-already-registered = this looks like document #{ $first }{ $kayit ->
        [none] {""}
       *[other] , kayıt no { $kayit }
    }, already registered (the same file, or the same issuer, sayı and date); nothing was registered — give --duplicate to register it again as a copy of #{ $first }
error-already-issued = { $draft } was already issued as document #{ $id } (sayı { $sayi }); an issued document is frozen: write a new draft that cites it (ilgi) to correct it
error-lost-race = { $recipient }: the delivery changed while this was being recorded; run the command again
error-not-empty = { $path } already holds { $what }; the demo builds its own registry: give it an empty --registry folder
error-runtime = { $what }: { $problem }
error-not-confirmed = not confirmed; nothing registered
error-json = cannot write JSON: { $problem }
error-sending-stopped = sending stopped: { $problem }. { $sent } message(s) were sent in this run; the other recipients stay queued — run `tamim send` again { $when }
error-reminders-not-sent = no reminder recorded: { $problem }; run `tamim remind` again when the server takes mail
error-template-unknown = unknown template "{ $name }"; available: { $available }
error-template-missing-field = template { $template } line { $line } uses the field `{ $field }`, which the draft does not have
error-template-syntax = template { $template } has a syntax error on line { $line }: { $problem }
error-template-render = template { $template } failed on line { $line }: { $problem }
error-template-invalid = template { $template } produced an invalid letter: { $problem }
error-mail-template = e-mail template { $name }: { $problem }
error-mail = the e-mail could not be assembled: { $problem }
error-interrupted = sending stopped by a signal: { $sent } message(s) were sent and recorded in this run; the recipients not yet sent stay queued — run `tamim send` again to finish
error-internal = internal error: { $problem }; nothing was changed — please report this
verify-not-ours = the file is not a document issued or registered by this registry, as it is

## Usage errors (clap)
usage-invalid-value = { $arg }: "{ $value }" is not one of the values it takes ({ $valid })
usage-unknown-argument = { $arg } is not an option of this command
usage-unknown-command = "{ $command }" is not a tamim command
usage-missing-argument = required and not given: { $arg }
usage-missing-command = give a command
usage-conflict = { $arg } cannot be given with { $other }
usage-once = { $arg } is given more than once
usage-bad-value = { $arg }: "{ $value }" { $problem }
usage-more = For more, try: tamim --help

## Help's headings
help-usage = Usage:
help-heading-arguments = Arguments
help-heading-options = Options
help-heading-commands = Commands
help-command-value = COMMAND

## Help: the command's about (about-<command>) and each argument's (arg-<command>-<id>, or arg-<id> when
## shared), each with an example.
about = Official circular (genelge / tamim) registration, issuing, distribution and audit for Turkish public administration
arg-registry = The registry home (office.toml, tamim.sqlite, files/), e.g. --registry /srv/tamim/iesob
arg-output = The output folder: issued PDFs, reports and the e-mail outbox go there, e.g. -o cikti
arg-json = Print machine-readable JSON instead of tables (errors too: {"{"}"error": {"{"}"code", "message"{"}}"}), e.g. --json
arg-lang = The language of messages, help and tables: tr or en (default: from LC_ALL, LC_MESSAGES, LANG; Turkish), e.g. --lang en
arg-help = Print help, e.g. tamim status --help
arg-version = Print the version, e.g. tamim --version
arg-doc = The document: a registry id, a sayı as printed, or a year/number, e.g. #12, 4516, 2021/243
arg-format = The form of the table: table, csv, csv-excel (UTF-8 with BOM, `;`, as Turkish Excel opens it) or xlsx (a workbook, to --file or <output folder>/<name>.xlsx), e.g. --format xlsx
arg-out = Write the table to this file instead of standard output, e.g. --file gecikenler.xlsx
arg-force = Replace the file when it exists (never one of the registry's own files), e.g. --force
arg-file = The file to read, e.g. kurumlar.csv
about-help = Print this message or the help of the given command, e.g. tamim help status
about-init = Make a registry home (office.toml, tamim.sqlite, files/); harmless to run twice
arg-init-office = Start from this office.toml instead of the template, e.g. --office ../iesob/office.toml
about-org = Offices: add, import, list, show, tree
about-org-add = Add an office
arg-org-add-code = The office's code, short and unique, e.g. ODA-15
arg-org-add-name = The office's full name, e.g. "İstanbul Halıcılar Odası"
arg-org-add-kind = What kind of office it is, e.g. --kind oda
arg-org-add-parent = The code of the office above it, e.g. --parent IESOB
arg-org-add-email = Its e-mail address, e.g. --email info@halicilar.org.tr
arg-org-add-kep = Its registered e-mail (KEP) address, e.g. --kep halicilar@hs01.kep.tr
arg-org-add-detsis = Its DETSİS number, e.g. --detsis 85840981
about-org-import = Import offices from CSV (header: code,name,kind,parent,email,kep,detsis), all or nothing
about-org-list = List offices in Turkish alphabetical order
arg-org-list-kind = Only offices of this kind, e.g. --kind oda
arg-org-list-parent = Only offices under this one, e.g. --parent IESOB
about-org-show = Show one office with its staff and child offices
arg-org-show-code = The office's code, e.g. ODA-15
about-org-tree = The office hierarchy
arg-org-tree-root = Start from this office (default: every top office), e.g. IESOB
about-person = Staff of offices: add, import, list
about-person-add = Add a member of staff
arg-person-add-id = The person's id, short and unique, e.g. P-AYSE
arg-person-add-name = The person's name, e.g. "Ayşe YILMAZ"
arg-person-add-org = The code of their office, e.g. --org ODA-1
arg-person-add-title = Their title, e.g. --title "Genel Sekreter"
arg-person-add-email = Their e-mail address, e.g. --email ayse@example.org
about-person-import = Import staff from CSV (header: id,name,title,org,email), all or nothing
about-person-list = List staff in Turkish alphabetical order
arg-person-list-org = Only the staff of this office, e.g. --org ODA-1
about-list = Distribution lists: create, add, remove, show
about-list-create = Create a distribution list
arg-list-create-name = The list's name, e.g. odalar
arg-list-create-title = How the list is printed in a dağıtım block, e.g. --title "39 İlçe Kaymakamlığına"
about-list-add = Add members: org codes, person ids, or @LIST (org:CODE / person:ID when a code is both)
arg-list-add-name = The list's name, e.g. odalar
arg-list-add-members = Org codes, person ids or @LIST, e.g. ODA-1 ODA-2 @ilceler
arg-list-add-role = gereği (for action) or bilgi (for information), e.g. --role bilgi
arg-list-add-cascade = The recipient must pass the document on to its child orgs of this kind, e.g. --cascade belediye
arg-list-add-cascade_text = The cascade instruction as printed (default from the kind), e.g. --cascade-text "İlçe Belediye Başkanlıklarına Duyurulacaktır"
arg-list-add-label = How this entry is printed in a dağıtım block, e.g. --label "39 İlçe Kaymakamlığına"
about-list-remove = Remove members
arg-list-remove-name = The list's name, e.g. odalar
arg-list-remove-members = Org codes, person ids or @LIST, e.g. ODA-2
about-list-show = Show a list's entries, or with --expand every recipient it reaches
arg-list-show-name = The list's name, e.g. odalar
arg-list-show-expand = Every recipient the list reaches, lists within it expanded, e.g. --expand
about-list-ls = All lists
about-receive = Register an incoming document
arg-receive-file = The document as it arrived (PDF, or an e-Yazışma package .eyp), e.g. valilik-genelge.pdf
arg-receive-auto = Read the fields from the PDF's text layer, show them, and register on confirmation; flags given explicitly override what was read, e.g. --auto
arg-receive-yes = With --auto (or a .eyp): register what was read without asking (for scripts), e.g. --auto --yes
arg-receive-sayi = The document's number as printed, e.g. --sayi E-85840981-167.01-122254 (or 4516, 25346381.010.06/53064)
arg-receive-sayi_form = The form the sayı is in (detected when not given): plain, dotted, eyazisma, year, e.g. --sayi-form dotted
arg-receive-tarih = The document's date, e.g. --tarih "05 Kasım 2021" (or 12 EKİM 2021, 02.11.2021)
arg-receive-konu = The subject line, e.g. --konu "Sosyal Medya Etik İlkeleri"
arg-receive-from = The issuing org's code, e.g. --from VALILIK
arg-receive-ilgi = A reference: a registry id, a sayı, or the citation exactly as printed; repeatable, e.g. --ilgi "#2"
arg-receive-ek = An attachment line as printed; repeatable, e.g. --ek "İlgi yazı ve eki (5 sayfa)"
arg-receive-kind = The document's kind: yazı (default), genelge, tamim, ilke-kararı, karar, e.g. --kind genelge
arg-receive-kind_no = The kind's own number, e.g. --kind-no 2021/81 for Karar No
arg-receive-muhatap = The addressee line as printed, e.g. --muhatap "DAĞITIM YERLERİNE"
arg-receive-received = When it arrived (date or ISO date-time); now by default, e.g. --received 2021-11-03
arg-receive-attached_to = It came as an attachment of this registered document (gets no kayıt no of its own), e.g. --attached-to "#1"
arg-receive-issuer = The issuer as printed, when it differs from the org's name, e.g. --issuer "T.C. İSTANBUL VALİLİĞİ"
arg-receive-duplicate = Register it though it looks like a registered document (the same file, or the same issuer, sayı and date); it is recorded as a copy of the first, e.g. --duplicate
arg-receive-archive = Registering an archive: accept a document dated before 1900, e.g. --archive
about-show = Print a registered document
about-documents = Registered documents, newest first
arg-documents-limit = How many to list at most, e.g. --limit 20
about-chain = Print a document's chain: up to the root, down to every follow-on, with discrepancies marked
about-demo = Run the seed's chain end to end: Kurul → İstanbul Valiliği → İESOB, PDFs in the output folder
arg-demo-smtp = Send through this SMTP server instead of the file outbox, e.g. --smtp smtp://127.0.0.1:2525
about-draft = Write a pre-filled draft of a follow-on document (forward) or an empty one (new)
about-draft-forward = A follow-on that cites and carries a registered document
arg-draft-forward-doc = The registered document, e.g. #1 or E-85840981-167.01-122254
arg-draft-template = The template to write it with, e.g. --template genelge
arg-draft-forward-to = Distribution lists; repeatable, e.g. --to odalar --to ilceler
arg-draft-forward-kind = The document's kind (default from the template), e.g. --kind tamim
arg-draft-forward-muhatap = The addressee line, e.g. --muhatap "DAĞITIM YERLERİNE"
arg-draft-out = The draft file to write, e.g. --file taslak.toml
arg-draft-force = Replace the draft file when it exists (never one of the registry's own files), e.g. --force
about-draft-new = An empty draft for a template
arg-draft-new-to = Distribution lists; repeatable, e.g. --to odalar
about-issue = Issue a draft: number it, render the PDF with its attachments, store and freeze it
arg-issue-draft = The draft (TOML) to issue, e.g. taslak.toml
arg-issue-preview = Render without numbering, marked TASLAK, into output/preview-*.pdf; records nothing, e.g. --preview
about-send = E-mail an issued document to every recipient (file outbox or SMTP), crash-safe and resumable
arg-send-transport = file (one .eml per message in output/outbox) or smtp; default from office.toml, e.g. --transport smtp
arg-send-smtp = SMTP server (implies --transport smtp; refused with --transport file), e.g. --smtp smtps://mail.example.org:465
arg-send-dry_run = List who would get what; send and record nothing, e.g. --dry-run
arg-send-attempts = Rounds of retry for transient failures, e.g. --attempts 5
arg-send-backoff = Seconds before the first retry (doubles each round), e.g. --backoff 0.5
arg-send-retry_failed = Send again to the recipients that failed for good in an earlier run (each put back in the queue, recorded), e.g. --retry-failed
about-verify = Say whether a PDF is exactly one this registry issued, or an altered copy
arg-verify-file = The PDF to check, e.g. output/4516.pdf
about-export = Write an issued document as an e-Yazışma v2 package (--eyp); a signed document's package is signed (CAdES over PaketOzeti) and, with [signing.seal], sealed (NihaiOzet)
arg-export-eyp = Write an e-Yazışma v2 package (the only format for now), e.g. --eyp
arg-export-out = The package file to write (default: <output folder>/<sayı>.eyp), e.g. --file 4516.eyp
about-numbering = Show or move the registry's gap-free counters (kayıt no, sayı, Tamim No)
about-numbering-show = Every counter and the last number it gave
about-numbering-set = Make the next number of a counter N (numbers only move forward), e.g. when moving from a paper register
arg-numbering-set-scope = kayit, sayi, or kind:<kind> (kind:tamim for Tamim No), e.g. sayi
arg-numbering-set-year = The year of the counter, e.g. --year 2021
arg-numbering-set-next = The next number it gives, e.g. --next 4516
about-ack = Record acknowledgements (clerk, sign-off sheet), receipts, exemptions and reported follow-ons
arg-ack-recipient = The recipient's org or person code, e.g. ODA-1
arg-ack-method = How it was acknowledged: link, paper, phone, kep, manual, e.g. --method phone
arg-ack-by = Who acknowledged (the name as signed or said), e.g. --by "Ali VELİ"
arg-ack-at = When (Türkiye time unless an offset is given; now by default), e.g. --at "05.11.2021 14:30" (or 2021-11-05 14:30, RFC 3339)
arg-ack-kayit_no = The recipient office's kayıt no of our document, e.g. --kayit-no 4959
arg-ack-evidence = Evidence: the KEP delivery id, a note, e.g. --evidence "KEP 2021-11-05 12345"
about-ack-import = Import a typed-in signed sign-off sheet. Header: document,recipient,name,at,method,kayit_no (method empty = paper; kayit_no may be empty). A bad line is reported by its number and nothing is imported, unless --partial
arg-ack-import-file = The sheet as CSV, e.g. tebellug.csv
arg-ack-import-partial = Import the good lines and report the bad ones, e.g. --partial
about-ack-received = The recipient office registered our document: its kayıt no and date
arg-ack-received-kayit_no = Their kayıt no of our document, e.g. 4959
arg-ack-received-date = The date on their registration stamp (Geldiği Tarih), e.g. --date 08.11.2021
about-ack-exempt = Exempt a recipient from acknowledging (on leave, transferred), with the reason
arg-ack-exempt-reason = Why, e.g. "Oda kapatıldı"
about-ack-followon = A recipient's own follow-on citing our document, reported back by its sayı and date
arg-ack-followon-sayi = The follow-on's sayı, e.g. 2021/17
arg-ack-followon-tarih = The follow-on's date, e.g. 10.11.2021
arg-ack-followon-recipients = How many it was sent to, e.g. --recipients 39
arg-ack-followon-acknowledged = How many of those acknowledged, e.g. --acknowledged 12
about-status = Counts per state and role, % acknowledged, and the late ones
about-remind = Remind everyone not yet acknowledged; escalate to the parent org after ack.escalate_after reminders
arg-remind-after = Remind those last contacted at least this many days ago (default: the time to the deadline split into ack.escalate_after + 1 rounds; a GÜNLÜDÜR document's own deadline makes them closer), e.g. --after 3
arg-transport = file (output/outbox) or smtp; default from office.toml, e.g. --transport smtp
arg-remind-smtp = SMTP server for the reminders (implies --transport smtp), e.g. --smtp smtp://127.0.0.1:2525
about-audit = The auditor's report: coverage per level and office, timelines, gaps, chain, log verification
arg-audit-format = text, json, csv, csv-excel (as Turkish Excel opens it), xlsx (a workbook) or pdf, e.g. --format pdf
arg-audit-out = The report's file (default: standard output; for pdf <output folder>/audit-<id>.pdf), e.g. --file denetim.pdf
arg-audit-force = Replace the report file when it exists (never one of the registry's own files), e.g. --force
about-log = The hash-chained event log
about-log-verify = Recompute every entry's hash and link; exit 1 naming the first entry that was edited, deleted or reordered
arg-log-verify-head = The head an earlier report printed (SEQ:HASH): also check the log still holds it, which finds entries cut off the end and a log re-hashed from some entry on, e.g. --head 12:9f2c…
about-serve = Serve acknowledgement links and the auditor's pages over HTTP
arg-serve-bind = Address and port to listen on (port 0 picks a free one; the address is printed), e.g. --bind 127.0.0.1:8080
about-templates = The document and mail templates: export the built-in ones to customise, list which are used
about-templates-export = Copy the built-in templates to DIR/documents/ and DIR/mail/, e.g. tamim templates export registry/templates
arg-templates-export-dir = The folder to write to (new or empty), e.g. registry/templates to make them the office's own
arg-templates-export-force = Write into a folder that is not empty, replacing templates of the same name (nothing else is touched), e.g. --force
about-templates-list = Every template and where it comes from (built in, or the registry's own file)
about-completions = Print a shell completion script, e.g. tamim completions bash > /etc/bash_completion.d/tamim
arg-completions-shell = The shell: bash, zsh, fish, elvish or powershell, e.g. tamim completions zsh
about-man = Print the manual page tamim(1) (or write one page per subcommand with --dir)
arg-man-dir = Write one page per subcommand (tamim.1, tamim-send.1, …) into this folder instead of printing tamim(1), e.g. --dir man/
arg-verbose = More diagnostics on standard error: -v info, -vv debug, -vvv trace (RUST_LOG, when set, decides instead), e.g. -vv
arg-quiet = Only errors on standard error, no warnings, e.g. -q
templates-exported = Wrote { $n } files to { $dir }. To make them this office's own, keep them in <registry>/templates/ (documents/ and mail/); each file found there replaces the built-in one of the same name.
templates-built-in = built in
templates-header-folder = FOLDER
templates-header-template = TEMPLATE
templates-header-from = FROM
about-signoff = Print the tebliğ-tebellüğ sheet of a document for one office (PDF)
arg-signoff-org = The office whose staff sign, e.g. --org ODA-1
arg-signoff-out = The sheet's file (default: <output folder>/signoff-<doc>-<org>.pdf), e.g. --file tebellug.pdf
arg-signoff-force = Replace the sheet when the file exists (never one of the registry's own files), e.g. --force

## status
status-head = #{ $id } { $sayi } · { $tarih } · { $konu }{"\u000A"}
status-line = { $count } { $total ->
        [one] recipient
       *[other] recipients
    } · { $percent } acknowledged · deadline { $deadline } ({ $source }){"\u000A"}{"\u000A"}
status-col-role = role
status-all = all
status-no-one-late = {"\u000A"}No one is late.{"\u000A"}
status-late = {"\u000A"}Late ({ $count }):{"\u000A"}
status-col-recipient = recipient
status-col-name = name
status-col-state = state
status-col-reminders = reminders
status-col-days-late = days late
status-more = … and { $count } more (--json lists all){"\u000A"}

## receive, show, documents
receive-flag-required = is required (or use --auto to read it from the PDF)
receive-registered = Registered #{ $id } as Kayıt No { $kayit } ({ $year }).{"\u000A"}
receive-registered-attachment = Registered #{ $id } (attachment of #{ $of }; no kayıt no of its own).{"\u000A"}
receive-ilgi-not-registered = not registered (kept as citation text)
intake-scan = no text layer (a scanned image): nothing can be read from it; register it by hand with --sayi, --tarih, --konu and --from, without --auto
intake-field-not-found = the { $name } was not found in the letter; give it with { $field }
intake-no-terminal = there is no terminal to confirm on; nothing registered. Check what was read and pass --yes to register it
intake-confidence-high = high
intake-confidence-medium = medium
intake-confidence-low = low
intake-read-from = Read from { $file } ({ $pages } page(s); the letter is page(s) 1–{ $letter }):
intake-not-found = not found
intake-attachments-stated = Attachments: { $after } page(s) after the letter; the ek lines state { $total }
intake-attachments-unstated = Attachments: { $after } page(s) after the letter; the ek lines state no complete page count
intake-ek-pages = pages { $from }–{ $to }
intake-ek-unplaced = pages not placed
intake-document-begins = page { $page }: a document begins ({ $what })
intake-mismatch = page count mismatch: { $problem }
intake-mismatch-count = the ek lines state { $total } page(s) but { $after } page(s) follow the letter
intake-mismatch-none-follow = the ek lines state pages but none follow the letter
intake-missing = Not found: { $fields }
intake-confirm = Register it? [y/N]
intake-confirm-new-org = Register it, adding the office { $code } ({ $name })? [y/N]
intake-issuer-by-detsis = { $code } (by DETSİS { $detsis } in the sayı)
intake-issuer-by-name = { $code } (by its name "{ $name }" in the heading)
intake-issuer-new = { $code }: not registered; the office the heading names, { $name } (kind { $kind }, DETSİS { $detsis }), is added when the letter is registered
intake-no-issuer = the letter's issuer is not a registered office and its heading names none; give the office's code with --from (add it first with `tamim org add`)
intake-added-org = Added the office { $code } ({ $name }) from the letter's heading.
documents-col-id = ID
documents-col-direction = DIRECTION
documents-col-kind = KIND
documents-col-sayi = SAYI
documents-col-tarih = DATE
documents-col-kayit = KAYIT NO
documents-col-konu = SUBJECT
direction-incoming = incoming
direction-outgoing = outgoing

## audit
audit-wrote = wrote { $file } · { $count } { $total ->
        [one] recipient
       *[other] recipients
    }, { $percent } acknowledged · log { $verified ->
        [yes] verified
       *[no] BROKEN
    } (head { $head })

## Table columns
col-code = CODE
col-name = NAME
col-kind = KIND
col-parent = PARENT
col-email = E-MAIL
col-id = ID
col-title = TITLE
col-org = ORG
col-member = MEMBER
col-role = ROLE
col-printed-as = PRINTED AS
col-path = PATH
col-cascade = CASCADE
col-entries = ENTRIES
col-scope = SCOPE
col-year = YEAR
col-last = LAST
col-next = NEXT
col-recipient = RECIPIENT
col-channel = CHANNEL
col-now = NOW
col-server-reply = SERVER REPLY

## org, person, list, numbering
org-added = Added org { $code } ({ $name }).
org-imported = Imported { $count } orgs from { $file }.
org-count = { $count } orgs{"\u000A"}
org-show-kind = kind
org-show-parent = parent
org-show-email = e-mail
org-show-staff = staff
org-show-children = children
person-added = Added { $name } ({ $code }) to { $org }.
person-imported = Imported { $count } people from { $file }.
person-count = { $count } people{"\u000A"}
list-created = Created list { $name }.
list-bad-role = "{ $role }" is not a role; use gereği or bilgi
list-entries = List { $name } now has { $count } entries.
list-expanded = { $count } recipients: { $action } gereği, { $info } bilgi
numbering-bad-scope = "{ $scope }" is not a counter; use kayit, sayi or kind:<kind>
numbering-bad-year = { $year } is not a plausible year
numbering-set = The next { $scope } number of { $year } will be { $next }.

## send
send-dry-run = Dry run: { $label } would go to { $would } of { $total } recipients now (nothing sent, nothing recorded).
send-dry-run-message = Subject: { $subject }{"\u000A"}PDF: { $pdf } ({ $bytes } bytes)
send-no-email = (no e-mail: { $channel })
send-summary = { $label } via { $transport }: { $recipients } recipients — { $sent } sent, { $failed } failed, { $skipped } skipped (already done), { $no_address } no address, { $deferred } deferred
send-failed-earlier = , { $count } failed in an earlier run (not retried)
send-requeued = { $count } recipient(s) that had failed were put back in the queue (--retry-failed).{"\u000A"}
send-resent = { $count } message(s) that were in flight when a previous run stopped were sent again (same Message-ID).{"\u000A"}
send-heading-failed = Failed (fix the address, then `tamim send DOC --retry-failed`)
send-heading-failed-earlier = Failed in an earlier run, not sent again (fix the address, then `tamim send DOC --retry-failed`)
send-heading-deferred = Deferred (a temporary failure; run `tamim send` again later)
send-heading-no-email = {"\u000A"}No e-mail address — send on paper or by KEP:{"\u000A"}

## ack
ack-bad-method = "{ $method }" is not a method; use paper, phone, kep or manual
ack-imported = imported { $count } acknowledgement(s) from { $file }{"\u000A"}
ack-skipped = skipped { $count } line(s):{"\u000A"}
ack-received = { $recipient }: received (event { $seq })
ack-exempt = { $recipient }: exempt (event { $seq })
ack-followon = { $recipient }: follow-on { $sayi } noted (event { $seq })
ack-recorded = { $recipient }: acknowledged ({ $method }) at { $at } (event { $seq })
ack-already = { $recipient }: already acknowledged

## remind
remind-recorded = { $count } reminder(s) recorded (due after { $after } day(s); deadline { $deadline }){"\u000A"}
remind-escalated = { $to } (escalated)
remind-to-staff = { $to } (internal notice to the staff)
remind-col-recipient = recipient
remind-col-reminder = reminder
remind-col-to = to
remind-col-address = address
remind-unreachable = no address and no parent to escalate to: { $who }{"\u000A"}
remind-not-due = { $count } not due yet{"\u000A"}
remind-sent = { $count } reminder e-mail(s) sent via { $transport }
remind-failed = {"\u000A"}  failed: { $name } <{ $email }>: { $reply }

## init, issue, log, signoff, draft, serve
init-complete = Registry { $registry } is already complete (schema version { $version }); nothing changed.
init-ready = Registry { $registry } ready (schema version { $version }); created: { $created }.
issue-preview = Preview (TASLAK, not numbered): { $file } ({ $pages } pages).
issue-issued = Issued #{ $id }: Sayı { $sayi }, No { $no }, { $tarih } — { $konu }{"\u000A"}  { $file } ({ $pages } pages){"\u000A"}  SHA-256 { $sha }{"\u000A"}  Doğrulama Kodu { $code }
log-verified = event log verified: { $entries } entries, head { $seq } { $hash }
log-holds-head = {"\u000A"}holds the earlier head { $seq } { $hash }
log-broken = event log BROKEN at entry { $seq } ({ $kind })
log-problem = event log: { $problem }
wrote-file = wrote { $file }
draft-unknown-template = unknown template "{ $template }"; available: { $available }
draft-wrote = Wrote draft { $file }; edit it, preview with `tamim issue --preview { $file }`, then `tamim issue { $file }`.
serve-listening = listening on http://{ $addr }

## verify
verify-issued = This exact file was issued by this office: document #{ $id }, sayı { $sayi }, { $konu }.
verify-registered = This exact file was registered here as received: document #{ $id }, sayı { $sayi }, { $konu }.
verify-altered = ALTERED: this file carries the verification code { $code } of document #{ $id }, but it is not the file that was issued (its SHA-256 differs).
verify-unknown = This file was not issued or registered by this registry.

## export
export-eyp-required = is required: e-Yazışma packages are the only export format
export-incoming = #{ $id } is an incoming document; only documents this office issued can be exported
export-no-sayi = #{ $id } has no sayı yet; issue it first
export-no-pdf = #{ $id } has no PDF
export-no-addressee = #{ $id } has neither a dağıtım nor a muhatap to address the package to
export-no-signatory = #{ $id } records no signatory; a package names who signs it
export-wrote = Wrote #{ $id } as an unsigned e-Yazışma package: { $file } ({ $bytes } bytes){"\u000A"}

## signing (issue #17)
arg-issue-sign = Sign the PDF (PAdES) with office.toml's [signing.key]; the PIN or password is read from the file or environment variable named there, never the command line; a failure to sign issues nothing, e.g. --sign
issue-signed = {"\u000A"}  Signed by { $by } at { $at }
issue-signed-timestamped = {"\u000A"}  Signed by { $by } at { $at } (timestamped)
error-not-signed = not signed: { $problem }; nothing was issued, no number used
error-no-signing-key = --sign needs a key: add [signing.key] (a PKCS#11 token or a PKCS#12 file) to office.toml
error-secret = { $section } { $what }: { $problem }
error-secret-env-unset = the environment variable { $var } is not set
error-secret-file-unreadable = the file { $path } cannot be read
error-secret-file-empty = the file { $path } is empty
error-secret-not-given = not given: set { $what }_file or { $what }_env
error-unsigned-statement = template: says "Bu belge, güvenli elektronik imza ile imzalanmıştır." but the document is not signed: issue it with --sign, or take the sentence out
error-sign-read = cannot read { $what } { $path }
error-sign-pkcs12 = the PKCS#12 file { $path } cannot be opened: the password is wrong or the file is damaged
error-sign-pkcs12-empty = the PKCS#12 file { $path } holds no private key with its certificate
error-sign-module = the PKCS#11 module { $path } cannot be loaded
error-sign-no-token = no token is present in any slot of the PKCS#11 module { $path }: is the card inserted?
error-sign-no-such-token = no token labelled "{ $label }" (tokens present: { $present })
error-sign-wrong-pin = the PIN for token "{ $label }" is wrong
error-sign-token-missing = the token "{ $label }" holds no { $what }
error-sign-token = the token refused to { $op }
error-sign-certificate = the signing certificate ({ $subject }) { $problem }
error-cert-not-yet-valid = is not valid before { $from } (signing time { $at })
error-cert-expired = expired on { $until } (signing time { $at })
error-cert-no-non-repudiation = is qualified but does not allow non-repudiation (key usage)
error-cert-no-digital-signature = does not allow digital signatures (key usage)
error-sign-unsupported-key = the key is not an RSA (2048 bits or more) or ECDSA P-256 key: { $key }
error-sign-key-mismatch = the private key does not belong to the certificate ({ $key })
error-tsa-unreachable = the timestamp authority { $url } cannot be reached
error-tsa-answer = the timestamp authority { $url } gave an invalid answer: { $problem }
error-tsa-not-a-response = not a timestamp response ({ $detail })
error-tsa-refused = the request was refused (PKIStatus { $status }) { $text }
error-tsa-no-token = granted but without a token
error-tsa-unreadable = a token that cannot be read ({ $detail })
error-tsa-other-digest = a token over another digest
error-tsa-other-nonce = a token with another nonce
error-tsa-bad-signature = a token whose signature does not verify ({ $problem })
error-tsa-http = HTTP { $code } (are the credentials right?)
error-sign-malformed = not a CMS signature: { $detail }
error-sign-der = ASN.1 encoding: { $detail }
sig-problem-no-signer = no signer
sig-problem-signer-cert-missing = the signer's certificate is not in the signature
sig-problem-unsupported-digest = unsupported digest algorithm { $oid }
sig-problem-content-changed = the content was changed after signing (its digest differs)
sig-problem-encoding = the signed attributes cannot be encoded ({ $detail })
sig-problem-signature-invalid = the signature does not verify with the signer's certificate
sig-problem-signing-cert-other = the signing-certificate-v2 attribute names another certificate
sig-problem-signing-cert-unreadable = an unreadable signing-certificate-v2 attribute ({ $detail })
sig-problem-signing-cert-absent = no signing-certificate-v2 attribute
sig-problem-stamp-unreadable = an unreadable timestamp token
sig-problem-stamp-without-info = a timestamp token without TSTInfo
sig-problem-stamp-over-other-data = the timestamp is over other data
sig-problem-not-signed-data = not signed-data
sig-problem-byte-range = its byte range does not match the file (the signature hole or the file's length)
sig-problem-malformed = not a CMS signature: { $detail }
verify-sig-field = signature
verify-sig-intact = { $field }: intact
verify-sig-broken = { $field }: BROKEN
verify-sig-covers-all = {"\u000A"}  covers bytes { $range } (the whole file)
verify-sig-appended = {"\u000A"}  covers bytes { $range }; { $bytes } bytes were appended after it (a later change)
verify-sig-truncated = {"\u000A"}  covers bytes { $range }; the file is shorter than the signature says (truncated)
verify-sig-signer = {"\u000A"}  signed by { $name } (serial { $serial }, issuer { $issuer })
verify-sig-time = {"\u000A"}  signing time { $at }
verify-sig-stamp = {"\u000A"}  timestamp { $at } by { $by } (intact)
verify-sig-stamp-broken = {"\u000A"}  timestamp { $at } by { $by } (BROKEN)
verify-sig-trusted = {"\u000A"}  trusted: the chain reaches { $anchor }
verify-sig-untrusted = {"\u000A"}  NOT TRUSTED: the chain reaches no trust anchor of this registry
verify-sig-not-checked = {"\u000A"}  not checked against a trust list (the registry has no trust/ anchors)
error-pdf-empty = the PDF cannot be read: the file is empty (0 bytes)
error-pdf-not-pdf = the PDF cannot be read: it has no `%PDF-` header in its first 1024 bytes
error-pdf-encrypted = the PDF cannot be read: it is encrypted and needs a password
error-pdf-corrupt = the PDF cannot be read: damaged or truncated ({ $detail })
error-pdf-other = the PDF cannot be read: { $detail }
export-wrote-signed = Wrote #{ $id } as a signed e-Yazışma package (CAdES over PaketOzeti): { $file } ({ $bytes } bytes){"\u000A"}
export-wrote-sealed = Wrote #{ $id } as a signed and sealed e-Yazışma package (CAdES over PaketOzeti, e-seal over NihaiOzet): { $file } ({ $bytes } bytes){"\u000A"}
eyp-sig-none = none
eyp-sig-not-a-signature = { $part }: not a signature ({ $bytes } bytes; { $reason })
eyp-sig-covered-missing = { $part }: the { $covers } it signs is not in the package
eyp-sig-signature = { $part }: CAdES signature over { $covers }, signed by { $signer }; { $state }; { $trust }
eyp-sig-intact = intact
eyp-sig-broken = BROKEN ({ $problem })
eyp-sig-trusted = trusted ({ $anchor })
eyp-sig-untrusted = NOT TRUSTED (reaches no trust anchor)
eyp-sig-not-checked = not checked against a trust list
