#!/usr/bin/env bash
# A test PKI made with openssl, in the folder $1: a root and an intermediate CA; signers under the
# intermediate as PKCS#12 files (password in p12.pass): signer (RSA-2048, digitalSignature +
# nonRepudiation), signer-ec (P-256), seal (the institution's e-mühür), expired (valid 2020-2021),
# nousage (keyEncipherment only); stranger.p12 under a CA nobody trusts; a TSA certificate and the
# `openssl ts` configuration tsa.cnf.
set -euo pipefail
d="$1"
mkdir -p "$d" && cd "$d"
echo "test-p12-parola" > p12.pass

cat > ext.cnf <<'CNF'
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[signer]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nousage]
basicConstraints = CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

ca() { # name subject
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 -utf8 -subj "$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
issue() { # name subject issuer ext keyopt serial
    openssl req -new -newkey "$5" -nodes -keyout "$1.key" -out "$1.csr" -utf8 -subj "$2" 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -set_serial "$6" -days 730 \
        -extfile ext.cnf -extensions "$4" -out "$1.pem" 2>/dev/null
}
p12() { # name chain...
    local name="$1"; shift
    cat "$@" > "$name.chain.pem"
    openssl pkcs12 -export -inkey "$name.key" -in "$name.pem" -certfile "$name.chain.pem" \
        -passout file:p12.pass -out "$name.p12"
}

ca root "/C=TR/O=Tamim Test/CN=Tamim Test Kök SM"
issue int "/C=TR/O=Tamim Test/CN=Tamim Test Ara SM" root ca rsa:2048 2
cat int.pem root.pem > chain.pem
issue signer "/C=TR/O=İESOB/CN=Ömer DEMİR/serialNumber=10000000146" int signer rsa:2048 101
issue signer-ec "/C=TR/O=İESOB/CN=Engin TÜRKMEN" int signer ec:<(openssl ecparam -name prime256v1) 102
issue seal "/C=TR/O=İESOB/CN=İESOB e-Mühür" int signer rsa:2048 103
issue nousage "/C=TR/O=İESOB/CN=Şifreleme Anahtarı" int nousage rsa:2048 104
issue tsa "/C=TR/O=Tamim Test/CN=Tamim Test Zaman Damgası" int tsa rsa:2048 105

# The expired one: `openssl ca` sets past dates.
mkdir -p ca.db && : > ca.db/index.txt && echo 1000 > ca.db/serial
cat > ca.cnf <<'CNF'
[ca]
default_ca = test
[test]
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
CNF
openssl req -new -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -utf8 -subj "/C=TR/CN=Süresi Dolmuş" 2>/dev/null
openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key -in expired.csr -out expired.pem -notext \
    -startdate 20200101000000Z -enddate 20210101000000Z -extfile ext.cnf -extensions signer -utf8 2>/dev/null

for n in signer signer-ec seal nousage expired; do p12 "$n" int.pem root.pem; done

# A signer under a CA nobody configured.
ca stranger-root "/C=TR/O=Bilinmeyen/CN=Bilinmeyen Kök"
issue stranger "/C=TR/O=Bilinmeyen/CN=Yabancı İmzacı" stranger-root signer rsa:2048 7
p12 stranger stranger-root.pem

mkdir -p ts && echo 01 > ts/serial
cat > tsa.cnf <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
dir = $PWD
serial = \$dir/ts/serial
signer_cert = \$dir/tsa.pem
signer_key = \$dir/tsa.key
certs = \$dir/chain.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
ess_cert_id_alg = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
CNF
