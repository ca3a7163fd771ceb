/**
 * Text a student might send (messages, notebook cells, outputs, errors) and what the provider
 * must get instead. `EXAMPLES` hold personal data or secrets; `COUNTER_EXAMPLES` only look
 * like it and must leave untouched. The identity is the student who typed them.
 */
import type { StudentIdentity } from './redaction-patterns.js';

export const STUDENT: StudentIdentity = {
  names: ['mkowalski'],
  email: 'Maya.Kowalski@school.example',
};

export interface RedactionFixture {
  name: string;
  text: string;
  /** For examples: the text as the provider receives it. */
  redacted?: string;
}

export const EXAMPLES: RedactionFixture[] = [
  {
    name: 'the student’s own email, in any case',
    text: 'My login is maya.kowalski@school.example, why is it rejected?',
    redacted: 'My login is ⟦STUDENT_EMAIL⟧, why is it rejected?',
  },
  {
    name: 'the student’s username in a path of an error',
    text: 'File "/home/mkowalski/hw/loop.py", line 3',
    redacted: 'File "/home/⟦STUDENT_NAME⟧/hw/loop.py", line 3',
  },
  {
    name: 'the student’s username signing a message',
    text: 'thanks! – MKowalski',
    redacted: 'thanks! – ⟦STUDENT_NAME⟧',
  },
  {
    name: 'another person’s email, twice, with the same placeholder',
    text: 'Mail jan.nowak+tutor@uni-wroclaw.pl or JAN.NOWAK+tutor@uni-wroclaw.pl',
    redacted: 'Mail ⟦EMAIL_1⟧ or ⟦EMAIL_1⟧',
  },
  {
    name: 'two different emails in code',
    text: 'recipients = ["ana@example.com", "bo@mail.co.uk"]',
    redacted: 'recipients = ["⟦EMAIL_1⟧", "⟦EMAIL_2⟧"]',
  },
  {
    name: 'an international phone number with spaces',
    text: 'call me on +49 30 1234 5678 tonight',
    redacted: 'call me on ⟦PHONE_1⟧ tonight',
  },
  {
    name: 'an international phone number with 00 and a bracketed trunk zero',
    text: 'Tel. 0044 (0)20 7946 0958.',
    redacted: 'Tel. ⟦PHONE_1⟧.',
  },
  {
    name: 'a compact international number in a string',
    text: 'phone = "+33612345678"',
    redacted: 'phone = "⟦PHONE_1⟧"',
  },
  {
    name: 'a North American number with brackets',
    text: 'Office: (555) 123-4567',
    redacted: 'Office: ⟦PHONE_1⟧',
  },
  {
    name: 'a North American number with dots',
    text: 'text 555.123.4567 if stuck',
    redacted: 'text ⟦PHONE_1⟧ if stuck',
  },
  {
    name: 'a national number with a trunk zero',
    text: 'my mobile is 0171 2345678 and home 030/1234567',
    redacted: 'my mobile is ⟦PHONE_1⟧ and home ⟦PHONE_2⟧',
  },
  {
    name: 'a French number in pairs',
    text: 'appelle-moi au 06 12 34 56 78',
    redacted: 'appelle-moi au ⟦PHONE_1⟧',
  },
  {
    name: 'an OpenAI key in code',
    text: 'client = OpenAI(api_key="sk-proj-Abc123def456GHI789jkl012MNO")',
    redacted: 'client = OpenAI(api_key="⟦SECRET_1⟧")',
  },
  {
    name: 'an Anthropic key pasted alone',
    text: 'is sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv_wx valid?',
    redacted: 'is ⟦SECRET_1⟧ valid?',
  },
  {
    name: 'a Google key',
    text: 'KEY = AIzaSyD3xAmPlEkEy0123456789abcdefghijk',
    redacted: 'KEY = ⟦SECRET_1⟧',
  },
  {
    name: 'a GitHub token',
    text: 'git clone https://ghp_0123456789abcdefghijABCDEFGHIJklmnop@github.com/me/repo',
    redacted: 'git clone https://⟦SECRET_1⟧@github.com/me/repo',
  },
  {
    name: 'an AWS access key id and its secret',
    text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY"',
    redacted: 'aws_access_key_id = ⟦SECRET_1⟧\naws_secret_access_key = "⟦SECRET_2⟧"',
  },
  {
    name: 'a JWT',
    text: 'token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    redacted: 'token: ⟦SECRET_1⟧',
  },
  {
    name: 'a password assignment in Python',
    text: 'password = "hunter2!"\nif check(password): pass',
    redacted: 'password = "⟦SECRET_1⟧"\nif check(password): pass',
  },
  {
    name: 'secret-named keys in a dict and a config',
    text: `config = {"db_password": 'S3cr3t', "API_KEY": "abcd1234efgh"}`,
    redacted: `config = {"db_password": '⟦SECRET_1⟧', "API_KEY": "⟦SECRET_2⟧"}`,
  },
  {
    name: 'a .env line',
    text: 'export OPENAI_API_KEY=abcDEF123456789\nDEBUG=1',
    redacted: 'export OPENAI_API_KEY=⟦SECRET_1⟧\nDEBUG=1',
  },
  {
    name: 'a bearer token in a header',
    text: "headers = {'Authorization': 'Bearer abc.def-GHI_jkl123456'}",
    redacted: "headers = {'Authorization': 'Bearer ⟦SECRET_1⟧'}",
  },
  {
    name: 'a password in a database URL',
    text: 'engine = create_engine("postgresql://maya:pa55word@db.school.example/hw")',
    redacted: 'engine = create_engine("postgresql://maya:⟦SECRET_1⟧@db.school.example/hw")',
  },
  {
    name: 'a private key block',
    text: 'key = """-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----"""',
    redacted: 'key = """⟦SECRET_1⟧"""',
  },
  {
    name: 'everything at once, numbered in order of appearance',
    text: 'From mkowalski (maya.kowalski@school.example, +48 601 234 567): ask ola@gmail.com, key sk-test0123456789abcdefghij',
    redacted: 'From ⟦STUDENT_NAME⟧ (⟦STUDENT_EMAIL⟧, ⟦PHONE_1⟧): ask ⟦EMAIL_2⟧, key ⟦SECRET_1⟧',
  },
];

export const COUNTER_EXAMPLES: RedactionFixture[] = [
  { name: 'a decorator', text: '@property\ndef area(self):\n    return self.w * self.h' },
  { name: 'a dataclass decorator', text: '@dataclass(frozen=True)\nclass Point: ...' },
  { name: 'matrix products with spaces', text: 'y = X @ W + b\nz = a @ b' },
  { name: 'matrix products without spaces', text: 'y = X@self.weights.T + x@W.T' },
  { name: 'a shell prompt with user@host', text: 'student@laptop:~$ python3 main.py' },
  { name: 'an SSH git remote', text: 'git remote add origin git@github.com:hintbook/demo.git' },
  { name: 'a pip requirement with a version', text: 'numpy==1.26.4\npandas>=2.2.0,<3' },
  { name: 'a version string', text: 'Python 3.12.1 (main, Dec 8 2023) [GCC 12.2.0] on linux' },
  { name: 'an IP address and port', text: 'app.run(host="192.168.1.10", port=8080)' },
  { name: 'a hex colour', text: 'plt.plot(x, y, color="#1f77b4")' },
  { name: 'a UUID', text: 'id = "123e4567-e89b-12d3-a456-426614174000"' },
  { name: 'a nil UUID', text: 'UUID("00000000-0000-0000-0000-000000000000")' },
  { name: 'plain numbers', text: 'n = 12345\nfor i in range(1000000):\n    total += i * 31415926' },
  { name: 'arithmetic with plus', text: 'x = a +1234567 * 2\ny = 1e+10' },
  { name: 'a list of numbers', text: 'print([0, 100, 200, 3000, 40000])' },
  { name: 'a date and a time', text: 'start = "2026-01-05 09:30:00"\nend = "05/01/2026"' },
  { name: 'a float with many digits', text: '3.141592653589793 0.000123456789' },
  { name: 'a git SHA', text: 'HEAD is now at 4f2a9c1d3e5b7a9c0d1e2f3a4b5c6d7e8f9a0b1c' },
  { name: 'a tokenizer name', text: 'tokenizer = "bert-base-uncased"\nmax_tokens = 256' },
  {
    name: 'a password prompt and a comparison',
    text: 'password = input("Password: ")\nif password == "":',
  },
  { name: 'a placeholder key in an example', text: 'api_key = "<your key here>"\ntoken = "..."' },
  {
    name: 'an f-string with a key variable',
    text: 'url = f"https://api.example.com?key={api_key}"',
  },
  { name: 'a NumPy array printout', text: '[[0 123 4567]\n [1 234 5678]]' },
  { name: 'a traceback line number', text: 'File "main.py", line 1234567, in <module>' },
  { name: 'a phone-like word in an error', text: "KeyError: 'phone_number'" },
  {
    name: 'a common word that is not the student',
    text: 'Maya Angelou wrote poems; maya is also a framework.',
  },
  { name: 'an email-like decorator argument', text: '@app.route("/users/<name>")' },
  { name: 'a sk- prefix too short to be a key', text: 'sk-learn and scikit-learn are the same' },
];
