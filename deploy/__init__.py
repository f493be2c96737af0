"""Operations: the `switchboard` CLI, the init step, infra checks, local stack scripts."""
