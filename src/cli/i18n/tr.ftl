## tamim'in komut satırı, Türkçe. Buradaki her ileti en.ftl'de de vardır (bir test bakar).
## Argümanlar kodun verdiği değerlerdir: { $name }.

## Hatalar
error-prefix = hata: { $message }
error-caused-by = {"\u000A"}  nedeni: { $cause }
error-bad-lang = --lang: "{ $value }" tamim'in konuştuğu bir dil değil; tr (Türkçe) ya da en (English) verin
error-invalid = { $field }: { $problem }
error-not-found = { $what } "{ $key }" yok{ $hint }
error-duplicate = { $what } "{ $key }" zaten var
error-cycle = dağıtım listesi kendini içeriyor: { $cycle }
word-document = belge
word-org = kurum
word-person = kişi
word-list = liste
word-delivery = teslim
word-org-or-person = kurum ya da kişi
hint-by-id-or-sayi = {" "}(numarasıyla ya da sayısıyla)
hint-write-at-name = {" "}(bir liste için @AD yazın)
error-date-empty = tarih verilmedi: metin boş
error-date-unrecognised = { $value } bir tarih değil: 05 Kasım 2021, 02.11.2021 ya da 30/04/2021 gibi gün önce yazılmış bir tarih ya da 2021-11-02 gibi bir ISO tarihi bekleniyor
error-date-unknown-month = { $value } bir tarih değil: { $month } bir ay adı değil (Ocak, Şubat, Mart, Nisan, Mayıs, Haziran, Temmuz, Ağustos, Eylül, Ekim, Kasım, Aralık)
error-date-no-such-month = { $value } bir tarih değil: { $month }. ay yok
error-date-no-such-day = { $value } bir tarih değil: ayın { $day }. günü yok
error-date-past-month-end = { $value } bir tarih değil: { $month } { $year } { $days } gün çeker
error-date-year-out-of-range = { $value } bir tarih değil: { $year } yılı aralık dışında
error-sayi-empty = sayı verilmedi: metin boş
error-sayi-unrecognised = { $raw } bir sayı değil: bir numara (4516), önekli bir numara (25346381.010.06/53064), bir e-Yazışma numarası (E-85840981-167.01-122254) ya da yıl/numara (2021/81) bekleniyor
error-sayi-not-in-form = { $raw } { $form ->
        [plain] düz bir sayı değil: yalnızca rakam bekleniyor, örn. 4516
        [dotted] önekli bir sayı değil: <önek>/<numara> ya da <önek>-<numara> bekleniyor, örn. 25346381.010.06/53064
        [eyazisma] bir e-Yazışma sayısı değil: E-<DETSİS>-<SDP kodu>-<numara> bekleniyor
       *[year-number] yıl/numara biçiminde bir sayı değil: <yıl>/<numara> bekleniyor, örn. 2021/81
    }
error-sayi-too-large = { $raw } bir sayı değil: numarası { $digits } çok büyük
error-db-foreign-key = kayıt defteri değişikliği reddetti: defterde olmayan bir kayda başvuruyor (hiçbir şey değişmedi)
error-db-unique = kayıt defteri değişikliği reddetti: aynı kayıt zaten var (hiçbir şey değişmedi)
error-db-frozen = kayıt defteri değişikliği reddetti: oraya kaydedilen dondurulmuştur, hiç düzenlenmez (hiçbir şey değişmedi)
error-db-constraint = kayıt defteri değişikliği reddetti: gereken bir değer eksik ya da aralık dışında (hiçbir şey değişmedi)
error-db-busy = kayıt defteri meşgul: başka bir tamim komutu yazıyor; komutu birazdan yeniden çalıştırın (hiçbir şey değişmedi)
error-db-damaged = kayıt defterinin veritabanı (tamim.sqlite) bozuk ya da bir veritabanı değil; yedekten geri yükleyin
error-db-read-only = kayıt defterinin veritabanı (tamim.sqlite) yazmak için açılamıyor; defter klasörünün ve dosyalarının izinlerine bakın
error-db-disk-full = kayıt defterinin diski dolu (hiçbir şey değişmedi); yer açıp komutu yeniden çalıştırın
error-db-too-big = verilen bir değer defterin saklayamayacağı kadar büyük (hiçbir şey değişmedi)
error-db-io = kayıt defterinin veritabanı okunamadı ya da yazılamadı (bir disk giriş/çıkış hatası; hiçbir şey değişmedi)
error-db-interrupted = komut bitmeden kesildi (hiçbir şey değişmedi)
error-db-failed = kayıt defterinin veritabanı komutu yerine getiremedi (hiçbir şey değişmedi)
error-db-no-row = komutun gerektirdiği bir kayıt defterde yok
error-db-unreadable = defterde tamim'in bu sürümünün okuyamadığı bir kayıt var; `tamim log verify` defteri denetler
error-io = { $path }: { $problem }
error-file = { $path }: { $problem }
error-not-a-registry = { $path } bir tamim kayıt defteri değil (içinde tamim.sqlite yok); oluşturmak için `tamim init --registry { $path }` çalıştırın
error-schema-too-new = kayıt defterinin veritabanı şema sürümü { $found }, bu tamim'in anladığından ({ $supported }) yeni; tamim'i yükseltin
error-thread = { $what } iş parçacığı başlatılamıyor: { $problem }
error-config = office.toml: { $problem }
error-csv = { $file }: { $count } hatalı satır, hiçbiri alınmadı:{"\u000A"}{ $lines }
error-ack-not-a-recipient = { $recipient }: { $doc } belgesi bu alıcıya hiç gönderilmedi ("{ $recipient }" için teslim yok); kodu `tamim status { $doc }` ile denetleyin
error-ack-backwards = { $recipient }: teslimin durumu "{ $from }"; "{ $to }" durumuna geri dönemez
error-ack-already = { $recipient }: { $at } tarihinde zaten tebellüğ edildi ({ $how }); tebellüğ geri alınamaz, değiştirilemez
error-ack-future = { $field }: "{ $value }" ileri bir zaman (şimdi { $now })
error-ack-before-document = { $field }: "{ $value }" belgenin tarihinden ({ $date }) önce
error-ack-before-delivery = { $field }: "{ $value }" ({ $shown }), teslimin { $step } zamanından ({ $at }) önce; tebellüğ ondan önce olamaz
error-ack-not-sent-yet = { $recipient }: teslimin durumu "{ $state }": { $doc } belgesi bu alıcıya henüz gönderilmedi; önce `tamim send { $doc }` çalıştırın, sonra alıcının yaptığını kaydedin
error-ack-duplicate-followon = { $recipient }: { $tarih } tarihli { $sayi } sayılı ilgili yazı aynı sayılarla zaten kayıtlı (bildirildiği zaman { $at }); hiçbir şey kaydedilmedi
error-already-registered = bu, zaten kayıtlı #{ $first } belgesi gibi görünüyor{ $kayit ->
        [none] {""}
       *[other] {" "}(kayıt no { $kayit })
    } (aynı dosya ya da aynı gönderen, sayı ve tarih); hiçbir şey kaydedilmedi — #{ $first } belgesinin bir kopyası olarak yeniden kaydetmek için --duplicate verin
error-already-issued = { $draft } zaten #{ $id } belgesi olarak çıkarıldı (sayı { $sayi }); çıkarılmış bir belge dondurulmuştur: düzeltmek için ona atıf yapan (ilgi) yeni bir taslak yazın
error-lost-race = { $recipient }: bu kaydedilirken teslim değişti; komutu yeniden çalıştırın
error-not-empty = { $path } içinde zaten { $what } var; demo kendi kayıt defterini kurar: ona boş bir --registry klasörü verin
error-runtime = { $what }: { $problem }
error-not-confirmed = onaylanmadı; hiçbir şey kaydedilmedi
error-json = JSON yazılamıyor: { $problem }
error-sending-stopped = gönderim durdu: { $problem }. Bu çalıştırmada { $sent } ileti gönderildi; diğer alıcılar sırada kalıyor — `tamim send` komutunu yeniden çalıştırın { $when }
error-reminders-not-sent = hiçbir hatırlatma kaydedilmedi: { $problem }; sunucu posta kabul ettiğinde `tamim remind` komutunu yeniden çalıştırın
error-internal = iç hata: { $problem }; hiçbir şey değişmedi — lütfen bunu bildirin
verify-not-ours = dosya, bu haliyle, bu kayıt defterinin çıkardığı ya da kaydettiği bir belge değil

## Kullanım hataları (clap)
usage-invalid-value = { $arg }: "{ $value }" aldığı değerlerden biri değil ({ $valid })
usage-unknown-argument = { $arg } bu komutun bir seçeneği değil
usage-unknown-command = "{ $command }" bir tamim komutu değil
usage-missing-argument = gerekli ama verilmedi: { $arg }
usage-missing-command = bir komut verin
usage-conflict = { $arg }, { $other } ile birlikte verilemez
usage-once = { $arg } birden çok kez verildi
usage-bad-value = { $arg }: "{ $value }" { $problem }
usage-more = Daha fazlası için: tamim --help

## Yardımın başlıkları
help-usage = Kullanım:
help-heading-arguments = Argümanlar
help-heading-options = Seçenekler
help-heading-commands = Komutlar
help-command-value = KOMUT

## Yardım: komutun açıklaması (about-<komut>) ve her argümanınki (arg-<komut>-<ad>, ya da ortaksa arg-<ad>),
## her biri bir örnekle.
about = Resmî yazı (genelge / tamim) kaydı, çıkarılması, dağıtımı ve denetimi; Türk kamu yönetimi için
arg-registry = Kayıt defterinin klasörü (office.toml, tamim.sqlite, files/), örn. --registry /srv/tamim/iesob
arg-output = Çıktı klasörü: çıkarılan PDF'ler, raporlar ve e-posta giden kutusu oraya yazılır, örn. -o cikti
arg-json = Tablolar yerine makinenin okuyacağı JSON yaz (hatalar da: {"{"}"error": {"{"}"code", "message"{"}}"}), örn. --json
arg-lang = İletilerin, yardımın ve tabloların dili: tr ya da en (varsayılan: LC_ALL, LC_MESSAGES, LANG; Türkçe), örn. --lang en
arg-help = Yardımı yaz, örn. tamim status --help
arg-version = Sürümü yaz, örn. tamim --version
arg-doc = Belge: defterdeki numarası, basıldığı gibi sayısı ya da yıl/numara, örn. #12, 4516, 2021/243
arg-format = Tablonun biçimi: table, csv, csv-excel (Türkçe Excel'in doğrudan açtığı, BOM'lu UTF-8 ve `;`) ya da xlsx (bir çalışma kitabı; --file'a ya da <çıktı klasörü>/<ad>.xlsx), örn. --format xlsx
arg-out = Tabloyu standart çıktı yerine bu dosyaya yaz, örn. --file gecikenler.xlsx
arg-force = Dosya varsa yerine yaz (defterin kendi dosyalarından biri asla), örn. --force
arg-file = Okunacak dosya, örn. kurumlar.csv
about-help = Bu iletiyi ya da verilen komutun yardımını yaz, örn. tamim help status
about-init = Bir kayıt defteri klasörü kur (office.toml, tamim.sqlite, files/); iki kez çalıştırmak zararsızdır
arg-init-office = Şablon yerine bu office.toml ile başla, örn. --office ../iesob/office.toml
about-org = Kurumlar: ekle, içe aktar, listele, göster, ağaç
about-org-add = Bir kurum ekle
arg-org-add-code = Kurumun kısa ve tek kodu, örn. ODA-15
arg-org-add-name = Kurumun tam adı, örn. "İstanbul Halıcılar Odası"
arg-org-add-kind = Kurumun türü, örn. --kind oda
arg-org-add-parent = Bağlı olduğu kurumun kodu, örn. --parent IESOB
arg-org-add-email = E-posta adresi, örn. --email info@halicilar.org.tr
arg-org-add-kep = Kayıtlı elektronik posta (KEP) adresi, örn. --kep halicilar@hs01.kep.tr
arg-org-add-detsis = DETSİS numarası, örn. --detsis 85840981
about-org-import = Kurumları CSV'den al (başlık: code,name,kind,parent,email,kep,detsis); ya hepsi ya hiçbiri
about-org-list = Kurumları Türk alfabesi sırasıyla listele
arg-org-list-kind = Yalnızca bu türdeki kurumlar, örn. --kind oda
arg-org-list-parent = Yalnızca bu kuruma bağlı olanlar, örn. --parent IESOB
about-org-show = Bir kurumu personeli ve bağlı kurumlarıyla göster
arg-org-show-code = Kurumun kodu, örn. ODA-15
about-org-tree = Kurumların hiyerarşisi
arg-org-tree-root = Bu kurumdan başla (varsayılan: en üstteki her kurum), örn. IESOB
about-person = Kurumların personeli: ekle, içe aktar, listele
about-person-add = Bir personel ekle
arg-person-add-id = Kişinin kısa ve tek kimliği, örn. P-AYSE
arg-person-add-name = Kişinin adı, örn. "Ayşe YILMAZ"
arg-person-add-org = Kurumunun kodu, örn. --org ODA-1
arg-person-add-title = Unvanı, örn. --title "Genel Sekreter"
arg-person-add-email = E-posta adresi, örn. --email ayse@example.org
about-person-import = Personeli CSV'den al (başlık: id,name,title,org,email); ya hepsi ya hiçbiri
about-person-list = Personeli Türk alfabesi sırasıyla listele
arg-person-list-org = Yalnızca bu kurumun personeli, örn. --org ODA-1
about-list = Dağıtım listeleri: oluştur, ekle, çıkar, göster
about-list-create = Bir dağıtım listesi oluştur
arg-list-create-name = Listenin adı, örn. odalar
arg-list-create-title = Listenin dağıtım bölümünde basılışı, örn. --title "39 İlçe Kaymakamlığına"
about-list-add = Üye ekle: kurum kodları, kişi kimlikleri ya da @LİSTE (bir kod ikisi de ise org:KOD / person:KİMLİK)
arg-list-add-name = Listenin adı, örn. odalar
arg-list-add-members = Kurum kodları, kişi kimlikleri ya da @LİSTE, örn. ODA-1 ODA-2 @ilceler
arg-list-add-role = gereği ya da bilgi, örn. --role bilgi
arg-list-add-cascade = Alıcı belgeyi bu türdeki bağlı kurumlarına iletmekle yükümlü, örn. --cascade belediye
arg-list-add-cascade_text = İletme talimatı, basıldığı gibi (varsayılan türden gelir), örn. --cascade-text "İlçe Belediye Başkanlıklarına Duyurulacaktır"
arg-list-add-label = Bu girişin dağıtım bölümünde basılışı, örn. --label "39 İlçe Kaymakamlığına"
about-list-remove = Üye çıkar
arg-list-remove-name = Listenin adı, örn. odalar
arg-list-remove-members = Kurum kodları, kişi kimlikleri ya da @LİSTE, örn. ODA-2
about-list-show = Bir listenin girişlerini, --expand ile ulaştığı her alıcıyı göster
arg-list-show-name = Listenin adı, örn. odalar
arg-list-show-expand = İçindeki listeler açılmış olarak ulaştığı her alıcı, örn. --expand
about-list-ls = Bütün listeler
about-receive = Gelen bir belgeyi kaydet
arg-receive-file = Belge, geldiği gibi (PDF ya da bir e-Yazışma paketi .eyp), örn. valilik-genelge.pdf
arg-receive-auto = Alanları PDF'nin metninden oku, göster ve onaylanınca kaydet; açıkça verilen seçenekler okunanın yerine geçer, örn. --auto
arg-receive-yes = --auto ile (ya da bir .eyp): okunanı sormadan kaydet (betikler için), örn. --auto --yes
arg-receive-sayi = Belgenin basıldığı gibi sayısı, örn. --sayi E-85840981-167.01-122254 (ya da 4516, 25346381.010.06/53064)
arg-receive-sayi_form = Sayının biçimi (verilmezse bulunur): plain, dotted, eyazisma, year, örn. --sayi-form dotted
arg-receive-tarih = Belgenin tarihi, örn. --tarih "05 Kasım 2021" (ya da 12 EKİM 2021, 02.11.2021)
arg-receive-konu = Konu satırı, örn. --konu "Sosyal Medya Etik İlkeleri"
arg-receive-from = Gönderen kurumun kodu, örn. --from VALILIK
arg-receive-ilgi = Bir ilgi: defterdeki numara, bir sayı ya da atıf basıldığı gibi; tekrarlanabilir, örn. --ilgi "#2"
arg-receive-ek = Bir ek satırı, basıldığı gibi; tekrarlanabilir, örn. --ek "İlgi yazı ve eki (5 sayfa)"
arg-receive-kind = Belgenin türü: yazı (varsayılan), genelge, tamim, ilke-kararı, karar, örn. --kind genelge
arg-receive-kind_no = Türün kendi numarası, örn. Karar No için --kind-no 2021/81
arg-receive-muhatap = Muhatap satırı, basıldığı gibi, örn. --muhatap "DAĞITIM YERLERİNE"
arg-receive-received = Geldiği zaman (tarih ya da ISO tarih-saat); varsayılan şimdi, örn. --received 2021-11-03
arg-receive-attached_to = Kayıtlı bu belgenin eki olarak geldi (kendi kayıt numarasını almaz), örn. --attached-to "#1"
arg-receive-issuer = Gönderen, basıldığı gibi, kurumun adından farklıysa, örn. --issuer "T.C. İSTANBUL VALİLİĞİ"
arg-receive-duplicate = Kayıtlı bir belgeye benzese de kaydet (aynı dosya ya da aynı gönderen, sayı ve tarih); ilkinin kopyası olarak kaydedilir, örn. --duplicate
arg-receive-archive = Arşiv kaydı: 1900'den önce tarihli bir belgeyi kabul et, örn. --archive
about-show = Kayıtlı bir belgeyi yaz
about-documents = Kayıtlı belgeler, en yenisi önce
arg-documents-limit = En çok kaç tanesi listelensin, örn. --limit 20
about-chain = Bir belgenin zincirini yaz: köke kadar yukarı, her ilgili yazıya kadar aşağı, tutarsızlıklar işaretli
about-demo = Örnek zinciri baştan sona çalıştır: Kurul → İstanbul Valiliği → İESOB, PDF'ler çıktı klasöründe
arg-demo-smtp = Dosya giden kutusu yerine bu SMTP sunucusundan gönder, örn. --smtp smtp://127.0.0.1:2525
about-draft = İlgili bir yazının önceden doldurulmuş taslağını (forward) ya da boş bir taslak (new) yaz
about-draft-forward = Kayıtlı bir belgeye atıf yapan ve onu ekinde taşıyan bir yazı
arg-draft-forward-doc = Kayıtlı belge, örn. #1 ya da E-85840981-167.01-122254
arg-draft-template = Kullanılacak şablon, örn. --template genelge
arg-draft-forward-to = Dağıtım listeleri; tekrarlanabilir, örn. --to odalar --to ilceler
arg-draft-forward-kind = Belgenin türü (varsayılan şablondan gelir), örn. --kind tamim
arg-draft-forward-muhatap = Muhatap satırı, örn. --muhatap "DAĞITIM YERLERİNE"
arg-draft-out = Yazılacak taslak dosyası, örn. --file taslak.toml
arg-draft-force = Taslak dosyası varsa yerine yaz (defterin kendi dosyalarından biri asla), örn. --force
about-draft-new = Bir şablon için boş bir taslak
arg-draft-new-to = Dağıtım listeleri; tekrarlanabilir, örn. --to odalar
about-issue = Bir taslağı çıkar: numarala, PDF'yi ekleriyle oluştur, sakla ve dondur
arg-issue-draft = Çıkarılacak taslak (TOML), örn. taslak.toml
arg-issue-preview = Numaralamadan, TASLAK işaretli olarak output/preview-*.pdf dosyasına oluştur; hiçbir şey kaydetmez, örn. --preview
about-send = Çıkarılmış bir belgeyi her alıcıya e-postayla gönder (dosya giden kutusu ya da SMTP); çökmeye dayanıklı, kaldığı yerden sürer
arg-send-transport = file (output/outbox içinde ileti başına bir .eml) ya da smtp; varsayılan office.toml'dan, örn. --transport smtp
arg-send-smtp = SMTP sunucusu (--transport smtp demektir; --transport file ile reddedilir), örn. --smtp smtps://mail.example.org:465
arg-send-dry_run = Kimin neyi alacağını listele; hiçbir şey gönderme, kaydetme, örn. --dry-run
arg-send-attempts = Geçici hatalar için yeniden deneme turu, örn. --attempts 5
arg-send-backoff = İlk yeniden denemeden önceki saniye (her turda iki katı), örn. --backoff 0.5
arg-send-retry_failed = Önceki bir çalıştırmada kesin olarak ulaştırılamayan alıcılara yeniden gönder (her biri sıraya geri konur, kaydedilir), örn. --retry-failed
about-verify = Bir PDF'nin tam olarak bu defterin çıkardığı belge mi, değiştirilmiş bir kopya mı olduğunu söyle
arg-verify-file = Denetlenecek PDF, örn. output/4516.pdf
about-export = Çıkarılmış bir belgeyi imzasız bir e-Yazışma v2 paketi olarak yaz (--eyp)
arg-export-eyp = Bir e-Yazışma v2 paketi yaz (şimdilik tek biçim), örn. --eyp
arg-export-out = Yazılacak paket dosyası (varsayılan: <çıktı klasörü>/<sayı>.eyp), örn. --file 4516.eyp
about-numbering = Defterin boşluksuz sayaçlarını göster ya da ilerlet (kayıt no, sayı, Tamim No)
about-numbering-show = Her sayaç ve verdiği son numara
about-numbering-set = Bir sayacın sonraki numarasını N yap (numaralar yalnızca ileri gider), örn. kâğıt defterden geçerken
arg-numbering-set-scope = kayit, sayi ya da kind:<tür> (Tamim No için kind:tamim), örn. sayi
arg-numbering-set-year = Sayacın yılı, örn. --year 2021
arg-numbering-set-next = Vereceği sonraki numara, örn. --next 4516
about-ack = Tebellüğleri (memur, tebellüğ çizelgesi), alındıları, muafiyetleri ve bildirilen ilgili yazıları kaydet
arg-ack-recipient = Alıcının kurum ya da kişi kodu, örn. ODA-1
arg-ack-method = Nasıl tebellüğ edildi: link, paper, phone, kep, manual, örn. --method phone
arg-ack-by = Tebellüğ eden (imzaladığı ya da söylediği ad), örn. --by "Ali VELİ"
arg-ack-at = Ne zaman (bir fark verilmedikçe Türkiye saati; varsayılan şimdi), örn. --at "05.11.2021 14:30" (ya da 2021-11-05 14:30, RFC 3339)
arg-ack-kayit_no = Alıcı kurumun belgemize verdiği kayıt no, örn. --kayit-no 4959
arg-ack-evidence = Kanıt: KEP teslim kimliği, bir not, örn. --evidence "KEP 2021-11-05 12345"
about-ack-import = Elle yazılmış, imzalı bir tebellüğ çizelgesini al. Başlık: document,recipient,name,at,method,kayit_no (method boşsa paper; kayit_no boş olabilir). Hatalı bir satır numarasıyla bildirilir ve --partial verilmedikçe hiçbiri alınmaz
arg-ack-import-file = Çizelge, CSV olarak, örn. tebellug.csv
arg-ack-import-partial = Sağlam satırları al, hatalıları bildir, örn. --partial
about-ack-received = Alıcı kurum belgemizi kaydetti: kayıt numarası ve tarihi
arg-ack-received-kayit_no = Belgemize verdikleri kayıt no, örn. 4959
arg-ack-received-date = Kayıt damgalarındaki tarih (Geldiği Tarih), örn. --date 08.11.2021
about-ack-exempt = Bir alıcıyı tebellüğden muaf tut (izinli, nakledildi), nedeniyle
arg-ack-exempt-reason = Nedeni, örn. "Oda kapatıldı"
about-ack-followon = Bir alıcının belgemize atıf yapan kendi yazısı, sayısı ve tarihiyle bildirildi
arg-ack-followon-sayi = İlgili yazının sayısı, örn. 2021/17
arg-ack-followon-tarih = İlgili yazının tarihi, örn. 10.11.2021
arg-ack-followon-recipients = Kaç alıcıya gönderildiği, örn. --recipients 39
arg-ack-followon-acknowledged = Bunlardan kaçının tebellüğ ettiği, örn. --acknowledged 12
about-status = Durum ve role göre sayılar, tebellüğ yüzdesi ve gecikenler
about-remind = Henüz tebellüğ etmemiş herkese hatırlat; ack.escalate_after hatırlatmadan sonra üst kuruma bildir
arg-remind-after = En son en az bu kadar gün önce ulaşılanlara hatırlat (varsayılan: son güne kalan süre ack.escalate_after + 1 tura bölünür; GÜNLÜDÜR bir belgenin kendi süresi turları sıklaştırır), örn. --after 3
arg-transport = file (output/outbox) ya da smtp; varsayılan office.toml'dan, örn. --transport smtp
arg-remind-smtp = Hatırlatmalar için SMTP sunucusu (--transport smtp demektir), örn. --smtp smtp://127.0.0.1:2525
about-audit = Denetçi raporu: zincirin her düzeyinde ve her kurumda kapsam, zaman çizelgeleri, boşluklar, zincir, kayıt günlüğünün doğrulanması
arg-audit-format = text, json, csv, csv-excel (Türkçe Excel'in açtığı biçimde), xlsx (bir çalışma kitabı) ya da pdf, örn. --format pdf
arg-audit-out = Raporun dosyası (varsayılan: standart çıktı; pdf için <çıktı klasörü>/audit-<numara>.pdf), örn. --file denetim.pdf
arg-audit-force = Rapor dosyası varsa yerine yaz (defterin kendi dosyalarından biri asla), örn. --force
about-log = Karma zincirli olay günlüğü
about-log-verify = Her kaydın karmasını ve bağını yeniden hesapla; düzenlenen, silinen ya da yeri değiştirilen ilk kaydı adıyla söyleyip 1 ile çık
arg-log-verify-head = Önceki bir raporun yazdığı baş (SIRA:KARMA): günlüğün onu hâlâ taşıdığına da bak; sondan kesilen kayıtları ve bir kayıttan sonrası yeniden karmalanmış bir günlüğü bulur, örn. --head 12:9f2c…
about-serve = Tebellüğ bağlantılarını ve denetçinin sayfalarını HTTP ile sun
arg-serve-bind = Dinlenecek adres ve kapı (0 kapısı boş birini seçer; adres yazılır), örn. --bind 127.0.0.1:8080
about-signoff = Bir belgenin bir kurum için tebliğ-tebellüğ çizelgesini yaz (PDF)
arg-signoff-org = Personeli imzalayacak kurum, örn. --org ODA-1
arg-signoff-out = Çizelgenin dosyası (varsayılan: <çıktı klasörü>/signoff-<belge>-<kurum>.pdf), örn. --file tebellug.pdf
arg-signoff-force = Çizelge dosyası varsa yerine yaz (defterin kendi dosyalarından biri asla), örn. --force

## status
status-head = #{ $id } { $sayi } · { $tarih } · { $konu }{"\u000A"}
status-line = { $count } alıcı · { $percent } tebellüğ edildi · son gün { $deadline } ({ $source }){"\u000A"}{"\u000A"}
status-col-role = rol
status-all = tümü
status-no-one-late = {"\u000A"}Geciken yok.{"\u000A"}
status-late = {"\u000A"}Gecikenler ({ $count }):{"\u000A"}
status-col-recipient = alıcı
status-col-name = ad
status-col-state = durum
status-col-reminders = hatırlatma
status-col-days-late = gecikme (gün)
status-more = … ve { $count } tane daha (--json hepsini listeler){"\u000A"}

## receive, show, documents
receive-flag-required = gerekli (ya da PDF'den okumak için --auto verin)
receive-registered = #{ $id } Kayıt No { $kayit } ({ $year }) olarak kaydedildi.{"\u000A"}
receive-registered-attachment = #{ $id } kaydedildi (#{ $of } belgesinin eki; kendi kayıt numarası yok).{"\u000A"}
receive-ilgi-not-registered = kayıtlı değil (atıf metni olarak saklandı)
intake-confirm = Kaydedilsin mi? [e/H]
intake-confirm-new-org = { $code } kurumu ({ $name }) eklenerek kaydedilsin mi? [e/H]
intake-issuer-by-detsis = { $code } (sayıdaki DETSİS { $detsis } ile)
intake-issuer-by-name = { $code } (başlıktaki "{ $name }" adıyla)
intake-issuer-new = { $code }: kayıtlı değil; başlığın adını verdiği kurum, { $name } (türü { $kind }, DETSİS { $detsis }), yazı kaydedilirken eklenir
intake-no-issuer = yazıyı gönderen kayıtlı bir kurum değil ve başlığı bir kurum adı vermiyor; kurumun kodunu --from ile verin (önce `tamim org add` ile ekleyin)
intake-added-org = { $code } kurumu ({ $name }) yazının başlığından eklendi.
documents-col-id = NO
documents-col-direction = YÖN
documents-col-kind = TÜR
documents-col-sayi = SAYI
documents-col-tarih = TARİH
documents-col-kayit = KAYIT NO
documents-col-konu = KONU
direction-incoming = gelen
direction-outgoing = giden

## audit
audit-wrote = { $file } yazıldı · { $count } alıcı, { $percent } tebellüğ edildi · günlük { $verified ->
        [yes] doğrulandı
       *[no] BOZUK
    } (baş { $head })

## Tablo sütunları
col-code = KOD
col-name = AD
col-kind = TÜR
col-parent = ÜST KURUM
col-email = E-POSTA
col-id = KİMLİK
col-title = UNVAN
col-org = KURUM
col-member = ÜYE
col-role = ROL
col-printed-as = BASILIŞI
col-path = YOL
col-cascade = İLETME
col-entries = GİRİŞ
col-scope = SAYAÇ
col-year = YIL
col-last = SON
col-next = SONRAKİ
col-recipient = ALICI
col-channel = KANAL
col-now = ŞİMDİ
col-server-reply = SUNUCU YANITI

## org, person, list, numbering
org-added = { $code } kurumu eklendi ({ $name }).
org-imported = { $file } dosyasından { $count } kurum alındı.
org-count = { $count } kurum{"\u000A"}
org-show-kind = tür
org-show-parent = üst
org-show-email = e-posta
org-show-staff = personel
org-show-children = bağlılar
person-added = { $name } ({ $code }), { $org } kurumuna eklendi.
person-imported = { $file } dosyasından { $count } kişi alındı.
person-count = { $count } kişi{"\u000A"}
list-created = { $name } listesi oluşturuldu.
list-bad-role = "{ $role }" bir rol değil; gereği ya da bilgi yazın
list-entries = { $name } listesinde artık { $count } giriş var.
list-expanded = { $count } alıcı: { $action } gereği, { $info } bilgi
numbering-bad-scope = "{ $scope }" bir sayaç değil; kayit, sayi ya da kind:<tür> yazın
numbering-bad-year = { $year } akla yatkın bir yıl değil
numbering-set = { $year } yılının sonraki { $scope } numarası { $next } olacak.

## send
send-dry-run = Deneme: { $label } şimdi { $total } alıcının { $would } tanesine gidecek (hiçbir şey gönderilmedi, kaydedilmedi).
send-dry-run-message = Konu: { $subject }{"\u000A"}PDF: { $pdf } ({ $bytes } bayt)
send-no-email = (e-posta yok: { $channel })
send-summary = { $label }, { $transport } ile: { $recipients } alıcı — { $sent } gönderildi, { $failed } ulaştırılamadı, { $skipped } atlandı (zaten yapılmış), { $no_address } adres yok, { $deferred } ertelendi
send-failed-earlier = , { $count } tanesi önceki bir çalıştırmada ulaştırılamadı (yeniden denenmedi)
send-requeued = Ulaştırılamamış { $count } alıcı sıraya geri kondu (--retry-failed).{"\u000A"}
send-resent = Önceki çalıştırma durduğunda yolda olan { $count } ileti yeniden gönderildi (aynı Message-ID).{"\u000A"}
send-heading-failed = Ulaştırılamayanlar (adresi düzeltin, sonra `tamim send BELGE --retry-failed`)
send-heading-failed-earlier = Önceki bir çalıştırmada ulaştırılamayanlar, yeniden gönderilmedi (adresi düzeltin, sonra `tamim send BELGE --retry-failed`)
send-heading-deferred = Ertelenenler (geçici bir hata; `tamim send` komutunu sonra yeniden çalıştırın)
send-heading-no-email = {"\u000A"}E-posta adresi yok — kâğıtla ya da KEP ile gönderin:{"\u000A"}

## ack
ack-bad-method = "{ $method }" bir yöntem değil; paper, phone, kep ya da manual yazın
ack-imported = { $file } dosyasından { $count } tebellüğ alındı{"\u000A"}
ack-skipped = { $count } satır atlandı:{"\u000A"}
ack-received = { $recipient }: alındı (olay { $seq })
ack-exempt = { $recipient }: muaf (olay { $seq })
ack-followon = { $recipient }: ilgili yazı { $sayi } not edildi (olay { $seq })
ack-recorded = { $recipient }: tebellüğ edildi ({ $method }), { $at } (olay { $seq })
ack-already = { $recipient }: zaten tebellüğ edilmiş

## remind
remind-recorded = { $count } hatırlatma kaydedildi ({ $after } gün sonra vadesi gelen; son gün { $deadline }){"\u000A"}
remind-escalated = { $to } (üst kuruma)
remind-to-staff = { $to } (personele iç bilgi)
remind-col-recipient = alıcı
remind-col-reminder = hatırlatma
remind-col-to = kime
remind-col-address = adres
remind-unreachable = adresi de bildirilecek üst kurumu da olmayanlar: { $who }{"\u000A"}
remind-not-due = { $count } alıcının henüz vadesi gelmedi{"\u000A"}
remind-sent = { $transport } ile { $count } hatırlatma e-postası gönderildi
remind-failed = {"\u000A"}  ulaştırılamadı: { $name } <{ $email }>: { $reply }

## init, issue, log, signoff, draft, serve
init-complete = { $registry } kayıt defteri zaten tam (şema sürümü { $version }); hiçbir şey değişmedi.
init-ready = { $registry } kayıt defteri hazır (şema sürümü { $version }); oluşturulanlar: { $created }.
issue-preview = Önizleme (TASLAK, numarasız): { $file } ({ $pages } sayfa).
issue-issued = #{ $id } çıkarıldı: Sayı { $sayi }, No { $no }, { $tarih } — { $konu }{"\u000A"}  { $file } ({ $pages } sayfa){"\u000A"}  SHA-256 { $sha }{"\u000A"}  Doğrulama Kodu { $code }
log-verified = olay günlüğü doğrulandı: { $entries } kayıt, baş { $seq } { $hash }
log-holds-head = {"\u000A"}önceki baş { $seq } { $hash } günlükte duruyor
log-broken = olay günlüğü { $seq }. kayıtta BOZUK ({ $kind })
log-problem = olay günlüğü: { $problem }
wrote-file = { $file } yazıldı
draft-unknown-template = "{ $template }" diye bir şablon yok; olanlar: { $available }
draft-wrote = { $file } taslağı yazıldı; düzenleyin, `tamim issue --preview { $file }` ile önizleyin, sonra `tamim issue { $file }`.
serve-listening = dinleniyor: http://{ $addr }

## verify
verify-issued = Bu dosya, tam bu haliyle, bu kurumun çıkardığı belgedir: #{ $id }, sayı { $sayi }, { $konu }.
verify-registered = Bu dosya, tam bu haliyle, burada gelen belge olarak kaydedilmiştir: #{ $id }, sayı { $sayi }, { $konu }.
verify-altered = DEĞİŞTİRİLMİŞ: bu dosya #{ $id } belgesinin { $code } doğrulama kodunu taşıyor, ama çıkarılan dosya değil (SHA-256'sı farklı).
verify-unknown = Bu dosya bu kayıt defterinin çıkardığı ya da kaydettiği bir belge değil.

## export
export-eyp-required = gerekli: e-Yazışma paketi tek dışa aktarma biçimidir
export-incoming = #{ $id } gelen bir belge; yalnızca bu kurumun çıkardığı belgeler dışa aktarılabilir
export-no-sayi = #{ $id } belgesinin henüz sayısı yok; önce çıkarın
export-no-pdf = #{ $id } belgesinin PDF'si yok
export-no-addressee = #{ $id } belgesinin paketi gönderecek ne dağıtımı ne muhatabı var
export-no-signatory = #{ $id } belgesinde imzalayan kayıtlı değil; bir paket imzalayanı adıyla söyler
export-wrote = #{ $id } imzasız bir e-Yazışma paketi olarak yazıldı: { $file } ({ $bytes } bayt){"\u000A"}
