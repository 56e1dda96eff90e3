set -e
nice -n 19 openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=Attack17a Test CA" 2>/dev/null
mk() { # name cn san
  nice -n 19 openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj "/CN=$2" 2>/dev/null
  printf "subjectAltName=$3\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" > $1.ext
}
mk good localhost "DNS:localhost,IP:127.0.0.1,IP:::1"
nice -n 19 openssl x509 -req -in good.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out good.crt -days 30 -extfile good.ext 2>/dev/null
mk wronghost other.example "DNS:other.example"
nice -n 19 openssl x509 -req -in wronghost.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out wronghost.crt -days 30 -extfile wronghost.ext 2>/dev/null
# self-signed (untrusted)
nice -n 19 openssl req -x509 -newkey rsa:2048 -nodes -keyout selfsigned.key -out selfsigned.crt -days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
# expired via openssl ca
mk expired localhost "DNS:localhost,IP:127.0.0.1"
mkdir -p cadb && : > cadb/index.txt && echo 1000 > cadb/serial
cat > ca.cnf <<EOC
[ca]
default_ca=d
[d]
database=cadb/index.txt
serial=cadb/serial
new_certs_dir=cadb
default_md=sha256
policy=p
copy_extensions=none
[p]
commonName=supplied
EOC
nice -n 19 openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr -out expired.crt -startdate 20200101000000Z -enddate 20210101000000Z -extfile expired.ext -notext 2>&1 | tail -2
openssl x509 -in expired.crt -noout -dates -subject
