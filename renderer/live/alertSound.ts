/**
 * A short beep through WebAudio (no asset file). Browsers only let a page make sound after the
 * user has interacted with it: armAlertSound() listens for the first click or key and creates the
 * AudioContext then; before that, playAlertBeep() does nothing.
 */
let context: AudioContext | undefined;

export function armAlertSound(target: Window = window): () => void {
  const arm = () => {
    if (!context && typeof AudioContext !== 'undefined') context = new AudioContext();
    void context?.resume();
  };
  target.addEventListener('pointerdown', arm, { once: true });
  target.addEventListener('keydown', arm, { once: true });
  return () => {
    target.removeEventListener('pointerdown', arm);
    target.removeEventListener('keydown', arm);
  };
}

/** Whether a beep can play now (the user has interacted with the page). */
export function alertSoundReady(): boolean {
  return context !== undefined && context.state === 'running';
}

export function playAlertBeep(critical: boolean): void {
  if (!context || context.state !== 'running') return;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = critical ? 880 : 660;
  const t = context.currentTime;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(t);
  oscillator.stop(t + 0.3);
}
