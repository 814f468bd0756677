"""Translation through an OpenAI-compatible chat endpoint (``POST {base_url}/chat/completions``).

Works with any server that speaks the OpenAI chat API: a hosted one, or a local one (llama.cpp, vLLM, Ollama's
OpenAI mode). The key is read from ``STORYLENS_TRANSLATE_API_KEY`` or else ``OPENAI_API_KEY``; a local server may
need none. Each text is sent on its own so one bad answer costs one text, and the model is told to answer with the
translation only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import httpx

from storylens.translation.base import TranslationError

KEY_ENVIRONMENT = ("STORYLENS_TRANSLATE_API_KEY", "OPENAI_API_KEY")
SYSTEM_PROMPT = (
    "You translate news text. Translate the user's message from the language with code {source} into the language"
    " with code {target}. Keep names, numbers and quotation marks. Answer with the translation only."
)


class OpenAIChatTranslator:
    """A chat-completions client with a timeout and a retry on connection errors and 5xx answers."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        retries: int = 2,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = f"openai:{model}@{self.base_url}"
        self.retries = retries
        key = api_key if api_key is not None else next((os.environ[k] for k in KEY_ENVIRONMENT if k in os.environ), "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = client or httpx.Client(timeout=timeout, headers=headers)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str | None]:
        return [self._one(text, source, target) for text in texts]

    def _one(self, text: str, source: str, target: str) -> str:
        url = f"{self.base_url}/chat/completions"
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT.format(source=source, target=target)},
                {"role": "user", "content": text},
            ],
        }
        failure = ""
        for _attempt in range(self.retries + 1):
            try:
                response = self._client.post(url, json=payload)
            except httpx.HTTPError as error:
                failure = f"request failed: {error}"
                continue
            if response.status_code >= 500:
                failure = f"answered {response.status_code}"
                continue
            if response.status_code != 200:
                raise TranslationError(
                    f"translation request to {url} answered {response.status_code}: {response.text[:200]}"
                )
            try:
                answer = response.json()["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError) as error:
                raise TranslationError(f"translation answer from {url} is not in the OpenAI chat format") from error
            if not isinstance(answer, str) or not answer.strip():
                raise TranslationError(f"translation answer from {url} is empty")
            return answer.strip()
        raise TranslationError(f"translation request to {url} {failure} (after {self.retries + 1} tries)")
