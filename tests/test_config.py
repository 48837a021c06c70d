import pytest

from newsdedup.config import Config, load_config, parse_assignment
from newsdedup.errors import ConfigError
from conftest import ROOT


def test_the_documented_config_file_holds_the_defaults():
    assert load_config(ROOT / "config.yaml", environ={}) == Config()


def test_layers_file_then_environment_then_flags(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("verify:\n  min_containment: 0.7\n  min_shared_shingles: 5\nfingerprint:\n  num_perm: 64\n")
    environ = {"NEWSDEDUP_VERIFY__MIN_CONTAINMENT": "0.75", "NEWSDEDUP_FINGERPRINT__NUM_PERM": "96"}
    config = load_config(path, environ=environ, overrides={"fingerprint": {"num_perm": "256"}})
    assert config.verify.min_containment == 0.75
    assert config.verify.min_shared_shingles == 5
    assert config.fingerprint.num_perm == 256


def test_local_config_yaml_is_used_when_present(tmp_path):
    (tmp_path / "config.yaml").write_text("fingerprint:\n  shingle_size: 3\n")
    assert load_config(environ={}).fingerprint.shingle_size == 3


@pytest.mark.parametrize("text, message", [
    ("verify:\n  min_contanment: 0.7\n", "unknown key 'verify.min_contanment'"),
    ("verfy:\n  min_containment: 0.7\n", "unknown section 'verfy'"),
    ("verify:\n  min_containment: lots\n", "verify.min_containment: expected a number"),
    ("verify:\n  min_containment: 1.5\n", "verify.min_containment: 1.5 is out of range"),
    ("fingerprint:\n  num_perm: 12.5\n", "fingerprint.num_perm: expected a whole number"),
    ("boilerplate:\n  enabled: maybe\n", "boilerplate.enabled: expected true or false"),
    ("canonical:\n  criteria: [wire_dateline, coin_toss]\n", "unknown criterion 'coin_toss'"),
    ("verify: [1, 2]\n", "verify must be a mapping"),
    ("verify:\n  min_containment: [0.7\n", "line 3: not valid YAML"),
])
def test_bad_settings_name_the_key(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_config(path, environ={})


def test_missing_config_file_and_bad_assignment():
    with pytest.raises(ConfigError, match="not found"):
        load_config("nowhere.yaml", environ={})
    with pytest.raises(ConfigError, match="SECTION.KEY=VALUE"):
        parse_assignment("threshold=0.5")
    assert parse_assignment("verify.min_containment=0.7") == ("verify", "min_containment", "0.7")
